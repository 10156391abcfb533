/**
 * The rules of Microsoft's connector package validator (`scripts/ConnectorPackageValidator.ps1` in
 * microsoft/PowerPlatformConnectors), read and written anew as one unit each, for a connector
 * without an AI plugin (the script's `isPluginEnabled n`). The script expands each zip and counts
 * what `Get-ChildItem` sees at one level, so a folder is any first path segment of an entry (zips
 * need no folder entries) and any folder entry (`name/`, as zips made on Windows hold: Expand-Archive
 * makes it a folder even when nothing is in it), and `-Filter *.md` matches names ending in `.md`,
 * case aside.
 *
 * What the script does not check is not checked here either (file names, the assembly and `.xml`
 * beside the folder, the content of the solutions beyond two XML nodes and two folders).
 */
import JSZip from 'jszip';
import { hasContent, parseXml, selectSingle, type XmlElement } from './xml';

/** A zip read at one level: every entry's path and bytes; a folder entry is its path (ending in `/`) with no bytes. */
export type Entries = Map<string, Buffer>;

export const isFolderEntry = (path: string): boolean => path.endsWith('/');

export async function readZip(zip: Buffer): Promise<Entries> {
  const loaded = await JSZip.loadAsync(zip);
  const entries: Entries = new Map();
  for (const entry of Object.values(loaded.files)) {
    if (entry.dir) entries.set(isFolderEntry(entry.name) ? entry.name : `${entry.name}/`, Buffer.alloc(0));
    else entries.set(entry.name, await entry.async('nodebuffer'));
  }
  return entries;
}

export async function writeZip(entries: Entries): Promise<Buffer> {
  const zip = new JSZip();
  const date = new Date(Date.UTC(2026, 0, 1));
  for (const [path, content] of entries) {
    if (isFolderEntry(path)) zip.file(path, null, { dir: true, date, createFolders: false });
    else zip.file(path, content, { date, createFolders: false });
  }
  return zip.generateAsync({ type: 'nodebuffer' });
}

/** The files at the zip's root (or under `folder`), and the folders there (a folder entry's own included). */
export function level(entries: Entries, folder = ''): { files: string[]; folders: string[] } {
  const files: string[] = [];
  const folders = new Set<string>();
  for (const path of entries.keys()) {
    if (!path.startsWith(folder)) continue;
    const rest = path.slice(folder.length);
    const slash = rest.indexOf('/');
    if (slash < 0) files.push(rest);
    else folders.add(rest.slice(0, slash));
  }
  return { files: files.sort(), folders: [...folders].sort() };
}

const withExtension = (names: readonly string[], ext: string): string[] => names.filter((n) => n.toLowerCase().endsWith(ext));

export interface SolutionRead {
  file: string;
  entries: Entries;
  customizations?: XmlElement;
  /** Why customizations.xml could not be read as XML (the script stops with an internal error). */
  customizationsError?: string;
  hasConnector: boolean;
  hasWorkflows: boolean;
}

/** The package as the script walks it; later levels are undefined when an earlier one is missing. */
export interface PackageRead {
  outer: Entries;
  packageFile?: string;
  inner?: Entries;
  assetsFolder?: string;
  solutions: SolutionRead[];
}

export async function readPackage(zip: Buffer): Promise<PackageRead> {
  const outer = await readZip(zip);
  const read: PackageRead = { outer, solutions: [] };
  const zips = withExtension(level(outer).files, '.zip');
  if (zips.length !== 1) return read;
  read.packageFile = zips[0];
  read.inner = await readZip(outer.get(zips[0])!);
  const folders = level(read.inner).folders;
  if (folders.length !== 1) return read;
  read.assetsFolder = folders[0];
  for (const file of withExtension(level(read.inner, `${folders[0]}/`).files, '.zip')) {
    const entries = await readZip(read.inner.get(`${folders[0]}/${file}`)!);
    const solution: SolutionRead = { file, entries, hasConnector: false, hasWorkflows: false };
    const text = entries.get('customizations.xml');
    if (text) {
      try {
        solution.customizations = parseXml(text.toString('utf8'));
        solution.hasConnector = hasContent(selectSingle(solution.customizations, 'Connector'));
        solution.hasWorkflows = hasContent(selectSingle(solution.customizations, 'Workflows'));
      } catch (e) {
        solution.customizationsError = (e as Error).message;
      }
    }
    read.solutions.push(solution);
  }
  return read;
}

export interface ValidatorRule {
  id: string;
  /** What the script requires, in one line. */
  title: string;
  /** The problems found, in the script's words where it has them; empty: the rule holds. */
  check(pkg: PackageRead): string[];
}

const solutionFolders = (s: SolutionRead): string[] => level(s.entries).folders;

export const VALIDATOR_RULES: readonly ValidatorRule[] = [
  {
    id: 'outer-no-folder',
    title: 'The submitted zip holds no folder.',
    check: (pkg) => level(pkg.outer).folders.map((f) => `The provided zip file should not contain any folder: remove ${f}.`),
  },
  {
    id: 'outer-one-md',
    title: 'The submitted zip holds exactly one *.md file (intro.md).',
    check: (pkg) => {
      const md = withExtension(level(pkg.outer).files, '.md');
      return md.length === 1 ? [] : [`The provided zip file should contain one intro.md; it has ${md.length} .md files.`];
    },
  },
  {
    id: 'outer-one-zip',
    title: 'The submitted zip holds exactly one *.zip file (the package).',
    check: (pkg) => {
      const zips = withExtension(level(pkg.outer).files, '.zip');
      return zips.length === 1 ? [] : [`The provided zip file should contain one package zip file; it has ${zips.length}.`];
    },
  },
  {
    id: 'package-one-folder',
    title: 'The package zip holds exactly one folder (ideally PkgAssets).',
    check: (pkg) => {
      if (!pkg.inner) return ['No package zip to look into.'];
      const folders = level(pkg.inner).folders;
      return folders.length === 1 ? [] : [`The package zip file should contain one folder ideally named 'PkgAssets'; it has ${folders.length} (${folders.join(', ')}).`];
    },
  },
  {
    id: 'assets-no-folder',
    title: 'That folder holds no folder.',
    check: (pkg) => {
      if (!pkg.inner || pkg.assetsFolder === undefined) return ['No package folder to look into.'];
      return level(pkg.inner, `${pkg.assetsFolder}/`).folders.map((f) => `The package folder '${pkg.assetsFolder}' should not contain any folder: remove ${f}.`);
    },
  },
  {
    id: 'assets-two-solutions',
    title: 'That folder holds exactly two solution zips (three only with an AI plugin).',
    check: (pkg) => {
      if (!pkg.inner || pkg.assetsFolder === undefined) return ['No package folder to look into.'];
      const zips = withExtension(level(pkg.inner, `${pkg.assetsFolder}/`).files, '.zip');
      return zips.length === 2 ? [] : [`The package folder '${pkg.assetsFolder}' should contain only connector and flow solution zip files; it has ${zips.length}.`];
    },
  },
  {
    id: 'solution-root-files',
    title: "Each solution zip holds '[Content_Types].xml', 'customizations.xml' and 'solution.xml' at its root.",
    check: (pkg) =>
      pkg.solutions.flatMap((s) => {
        const names = level(s.entries).files.map((f) => f.toLowerCase());
        const missing = ['[Content_Types].xml', 'customizations.xml', 'solution.xml'].filter((f) => !names.includes(f.toLowerCase()));
        return missing.length === 0 ? [] : [`The solution zip file '${s.file}' misses '${missing.join(', ')}'.`];
      }),
  },
  {
    id: 'customizations-is-xml',
    title: "Each solution's customizations.xml reads as XML (the script casts it with [xml]).",
    check: (pkg) => pkg.solutions.flatMap((s) => (s.customizationsError ? [`${s.file}: customizations.xml is not XML (${s.customizationsError}).`] : [])),
  },
  {
    id: 'connector-folder',
    title: "A solution whose customizations.xml has a non-empty 'Connector' node holds a 'Connector' folder.",
    check: (pkg) =>
      pkg.solutions.flatMap((s) => (s.hasConnector && !solutionFolders(s).some((f) => f.toLowerCase() === 'connector') ? [`The solution zip file '${s.file}' should contain one folder namely 'Connector'.`] : [])),
  },
  {
    id: 'workflows-folders',
    title: "A solution with a non-empty 'Workflows' node holds the folders 'Workflows' and 'Connector'.",
    check: (pkg) =>
      pkg.solutions.flatMap((s) => {
        if (!s.hasWorkflows) return [];
        const folders = solutionFolders(s).map((f) => f.toLowerCase());
        const missing = ['Connector', 'Workflows'].filter((f) => !folders.includes(f.toLowerCase()));
        return missing.length === 0 ? [] : [`The solution zip file '${s.file}' should contain '${missing.join("', '")}'.`];
      }),
  },
  {
    id: 'connector-solution',
    title: "One solution is a connector solution: a 'Connector' node and no 'Workflows' node.",
    check: (pkg) => (pkg.solutions.some((s) => s.hasConnector && !s.hasWorkflows) ? [] : ["Connector solution is invalid. Connector solution should only contain 'Connector' folder."]),
  },
  {
    id: 'flow-solution',
    title: "One solution is a flow solution: both a 'Connector' and a 'Workflows' node.",
    check: (pkg) => (pkg.solutions.some((s) => s.hasConnector && s.hasWorkflows) ? [] : ["Flow solution is invalid. Flow solution should contain both 'Connector' and 'Workflows' folders."]),
  },
];

/** Every rule's problems, `<rule id>: <problem>`; empty when the script would say the structure is correct. */
export async function validatePackage(zip: Buffer): Promise<string[]> {
  const pkg = await readPackage(zip);
  return VALIDATOR_RULES.flatMap((rule) => rule.check(pkg).map((p) => `${rule.id}: ${p}`));
}

/**
 * Rewrites a zip nested `path` deep (`['X.pdpkg.zip', 'PkgAssets/FlowSolution.zip']`): `edit`
 * changes the innermost zip's entries, and every zip on the way is packed again.
 */
export async function editNested(zip: Buffer, path: readonly string[], edit: (entries: Entries) => void): Promise<Buffer> {
  const entries = await readZip(zip);
  if (path.length === 0) edit(entries);
  else {
    const inner = entries.get(path[0]);
    if (!inner) throw new Error(`no ${path[0]} in the zip`);
    entries.set(path[0], await editNested(inner, path.slice(1), edit));
  }
  return writeZip(entries);
}
