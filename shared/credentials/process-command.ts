/**
 * An External profile's `process_command` as argv, split as aliyun/credentials-nodejs
 * src/utils/command.ts (f61774c7) splits it on Unix (POSIX shlex): outside quotes `\` escapes the
 * next character; inside double quotes `\` escapes only `"`, `\`, `$` and `` ` ``; single quotes keep
 * everything literal; backslash-newline continues the line; `""` is an empty argument. No shell
 * runs it, so nothing is expanded.
 */
export function splitProcessCommand(command: string): string[] {
  const input = command.trim();
  if (!input) throw new Error('process_command is empty');
  const args: string[] = [];
  let current = '';
  let quote: "'" | '"' | undefined;
  let started = false;
  const flush = () => {
    if (started) args.push(current);
    current = '';
    started = false;
  };
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else current += c;
    } else if (quote === '"') {
      const next = input[i + 1];
      if (c === '"') quote = undefined;
      else if (c === '\\' && next === '\n') i++;
      else if (c === '\\' && next !== undefined && '"\\$`'.includes(next)) current += input[++i];
      else current += c;
    } else if (c === '\\') {
      if (i + 1 >= input.length) throw new Error('invalid process_command: trailing backslash');
      if (input[i + 1] === '\n') i++;
      else {
        started = true;
        current += input[++i];
      }
    } else if (c === "'" || c === '"') {
      quote = c;
      started = true;
    } else if (/\s/.test(c)) flush();
    else {
      started = true;
      current += c;
    }
  }
  if (quote) throw new Error('invalid process_command: unclosed quote');
  flush();
  if (!args[0]) throw new Error('process_command is empty');
  return args;
}
