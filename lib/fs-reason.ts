/** Why a file-system call failed, in the words every command uses (the flag parser, the check's folder reader). */
export function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'does not exist';
    case 'ENOTDIR':
      return 'does not exist (a part of its path is a file, not a folder)';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read: permission denied';
    case 'ELOOP':
      return 'is a symbolic link loop (the links point at each other and never reach a file)';
    case 'ENAMETOOLONG':
      return 'has a path too long for the file system';
    case 'EISDIR':
      return 'is a folder, not a file';
    default: {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return `cannot be read (${message})`;
    }
  }
}
