import { Command, Option } from 'commander';
import { runParity } from './runner.ts';
import { ParityRefusal } from './targets.ts';

/**
 * `npm run test:parity -- [--target local|aliyun] [--write] [--endpoint] …`: the parity suite
 * from the command line. Exit 0 when nothing differed, 1 when something did, 2 when refused.
 */
const program = new Command('test:parity')
  .addOption(new Option('--target <target>', 'where the cases run').choices(['local', 'aliyun']).default('local'))
  .option(
    '--write',
    'also run the write cases (a tagged security group with rules, a PrivateZone zone with records; always removed)',
    false,
  )
  .option(
    '--endpoint',
    'also make an interface endpoint (billed by the hour while it exists; needs ZPL_PARITY_SERVICE_ID); implies --write',
    false,
  )
  .option('--report-dir <dir>', 'where the report and snapshots go', 'parity-report')
  .option('--expect <file>', 'compare with this snapshot instead of the default expected side')
  .option('--record <file>', "also write this run's snapshot there (commit a real-cloud one as test/parity/snapshots/aliyun.json)")
  .option('--case <id...>', 'only these cases')
  .action(
    async (o: {
      target: 'local' | 'aliyun';
      write: boolean;
      endpoint: boolean;
      reportDir: string;
      expect?: string;
      record?: string;
      case?: string[];
    }) => {
      try {
        const report = await runParity({ ...o, cases: o.case, env: process.env });
        const s = report.summary;
        console.log(`parity against ${report.target}`);
        console.log(`expected: ${report.expectedSource}`);
        for (const c of report.results)
          console.log(
            `  ${c.status.padEnd(10)} ${c.id}${c.reason ? ` (${c.reason})` : ''}${c.findings.length ? `: ${c.findings.length} findings` : ''}`,
          );
        console.log(
          `${s.matched} matched, ${s.differed} differed, ${s.unrecorded} unrecorded, ${s['not-run']} not run; report: ${report.files[1]}`,
        );
        process.exitCode = s.differed > 0 ? 1 : 0;
      } catch (e) {
        console.error(`test:parity: ${(e as Error).message}`);
        process.exitCode = e instanceof ParityRefusal ? 2 : 1;
      }
    },
  );

await program.parseAsync();
