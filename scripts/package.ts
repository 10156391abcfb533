/**
 * `npm run package [-- --environment <GUID>] [--connector-id <id>] [--pac-connector-id <GUID>]`:
 * writes dist/<slug>/ with deploy/, certification/ and COMMANDS.md. The builders are pure; this is
 * the thin writer (it clears the folder first). It packages the committed top-level files byte for
 * byte and refuses when they are stale. PP_ENVIRONMENT, PP_CONNECTOR_ID and PP_PAC_CONNECTOR_ID
 * stand in for the flags.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { buildArtifacts } from '../connector/build/artifacts';
import { connector } from '../connector/model/connector';
import { buildPackage, PackageError } from '../connector/package/package';
import { TargetError } from '../connector/package/target';

export interface PackageRun {
  root: string;
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  /** Defaults to `<root>/dist/<slug>`. */
  outDir?: string;
}

export interface PackageResult {
  ok: boolean;
  outDir: string;
  messages: string[];
  warnings: string[];
}

class UsageError extends Error {}

function flag(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  if (index !== -1) {
    const value = argv[index + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value.`);
    return value;
  }
  return argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

export function runPackage(run: PackageRun): PackageResult {
  const outDir = run.outDir ?? join(run.root, 'dist', connector.brand.slug);
  const failed = (message: string): PackageResult => ({ ok: false, outDir, messages: [message], warnings: [] });
  const read = (file: string, hint: string): string => {
    const path = join(run.root, file);
    if (!existsSync(path)) throw new UsageError(`${file} is missing. ${hint}`);
    return readFileSync(path, 'utf8');
  };
  try {
    const definition = read('apiDefinition.swagger.json', 'Run npm run build.');
    const properties = read('apiProperties.json', 'Run npm run build.');
    const script = read('script.csx', 'The custom code is part of the connector; restore script.csx from git.');
    // The package must hold exactly what is committed and what the model yields.
    const committed: Record<string, string> = { 'apiDefinition.swagger.json': definition, 'apiProperties.json': properties };
    const stale = buildArtifacts()
      .filter((a) => a.path in committed && committed[a.path] !== a.content)
      .map((a) => a.path);
    if (stale.length > 0) return failed(`${stale.join(' and ')} differ from the model; run npm run build, commit, then package.`);

    const built = buildPackage({
      model: connector,
      definition,
      properties,
      script,
      environment: flag(run.argv, '--environment') ?? run.env.PP_ENVIRONMENT,
      connectorId: flag(run.argv, '--connector-id') ?? run.env.PP_CONNECTOR_ID,
      pacConnectorId: flag(run.argv, '--pac-connector-id') ?? run.env.PP_PAC_CONNECTOR_ID,
    });
    rmSync(outDir, { recursive: true, force: true });
    for (const file of built.files) {
      const target = join(outDir, file.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.content);
    }
    return {
      ok: true,
      outDir,
      messages: [`wrote ${built.files.length} files to ${relative(run.root, outDir) || outDir}/ (deploy/, certification/, COMMANDS.md)`],
      warnings: built.placeholders.map((note) => `PLACEHOLDER ${note}`),
    };
  } catch (error) {
    if (error instanceof UsageError || error instanceof PackageError || error instanceof TargetError) return failed(error.message);
    throw error;
  }
}

if (require.main === module) {
  const result = runPackage({ root: join(__dirname, '..'), argv: process.argv.slice(2), env: process.env });
  for (const message of result.messages) (result.ok ? console.log : console.error)(`package: ${message}`);
  for (const warning of result.warnings) console.warn(`package: ${warning}`);
  process.exit(result.ok ? 0 : 1);
}
