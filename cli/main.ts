import { Command } from 'commander';
import { registerAdopt } from './commands/adopt.ts';
import { registerApply } from './commands/apply.ts';
import { registerBuild } from './commands/build.ts';
import { registerCheck } from './commands/check.ts';
import { registerDemo } from './commands/demo.ts';
import { registerDeploy } from './commands/deploy.ts';
import { registerDeployBus } from './commands/deploy-bus.ts';
import { registerDestroy } from './commands/destroy.ts';
import { registerDiagram } from './commands/diagram.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerDrift } from './commands/drift.ts';
import { registerExecutions } from './commands/executions.ts';
import { registerList } from './commands/list.ts';
import { registerPlan } from './commands/plan.ts';
import { registerRender } from './commands/render.ts';
import { registerSchema } from './commands/schema.ts';
import { registerStatus } from './commands/status.ts';
import { registerUp } from './commands/up.ts';
import { registerValidate } from './commands/validate.ts';
import { terraformSpellings } from './terraform-flags.ts';
import { ZPL_VERSION } from './version.ts';

/** `zpl`: the commands, one file each under cli/commands, registered in the order `zpl --help` lists them. */
const program = new Command('zpl')
  .description('Connect an Alibaba Cloud VPC to Zilliz Cloud over PrivateLink.')
  .version(ZPL_VERSION, '-V, --version')
  .showHelpAfterError();

for (const register of [
  registerUp,
  registerDemo,
  registerDoctor,
  registerApply,
  registerDestroy,
  registerPlan,
  registerAdopt,
  registerStatus,
  registerList,
  registerExecutions,
  registerDrift,
  registerCheck,
  registerValidate,
  registerRender,
  registerBuild,
  registerDeploy,
  registerDeployBus,
  registerDiagram,
  registerSchema,
])
  register(program);

await program.parseAsync(terraformSpellings(process.argv));
