/**
 * Terraform spells long flags with one dash (`terraform plan -out=tfplan -detailed-exitcode`,
 * `terraform destroy -auto-approve`: https://developer.hashicorp.com/terraform/cli/commands/plan).
 * zpl accepts those spellings beside its own; anything else is left for commander to judge.
 */
const SPELLINGS: Record<string, string> = {
  '-out': '--out',
  '-detailed-exitcode': '--detailed-exitcode',
  '-auto-approve': '--yes',
  '-json': '--json',
};

export function terraformSpellings(argv: string[]): string[] {
  return argv.map((arg) => {
    const [flag, ...value] = arg.split('=');
    const long = SPELLINGS[flag!];
    return long ? [long, ...value].join('=') : arg;
  });
}
