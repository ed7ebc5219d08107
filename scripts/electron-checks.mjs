// What stops Electron before any window opens, found before the build instead of after it: a
// binary that was never downloaded, and Linux's sandbox rules (a non-root chrome-sandbox where
// unprivileged user namespaces are restricted, as on Ubuntu 23.10+ with AppArmor; running as
// root). Pure functions of what they are given, so tests can pin each case.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The Electron binary `npm install` should have fetched; null when it is there.
 * @param {string} electronDir node_modules/electron
 * @returns {{ problem: string, fix: string } | null}
 */
export function electronBinaryProblem(electronDir) {
  const pathFile = join(electronDir, 'path.txt')
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null
  if (relative !== null && existsSync(join(electronDir, 'dist', relative))) return null
  return {
    problem: relative === null
      ? 'The Electron binary was never downloaded (its install step was skipped, e.g. by ELECTRON_SKIP_BINARY_DOWNLOAD=1, or the download failed).'
      : `The Electron binary is missing at ${join(electronDir, 'dist', relative)}.`,
    fix: 'Download it with `node node_modules/electron/install.js` (needs access to github.com), or delete node_modules/electron and run `npm install` again.',
  }
}

/**
 * Linux only: whether Chromium's sandbox can start.
 * @param {{ platform: string, uid: number | null, sandbox: { uid: number, mode: number } | null, usernsRestricted: boolean, sandboxPath: string, noSandbox?: boolean }} facts
 * @returns {{ problem: string, fix: string } | null}
 */
export function linuxSandboxProblem(facts) {
  if (facts.platform !== 'linux' || facts.noSandbox === true) return null
  if (facts.uid === 0) {
    return {
      problem: 'Electron refuses to start as root with its sandbox on.',
      fix: 'Start Clipcast as a normal user; if you must run it as root (a container), use `npm start -- --noSandbox`.',
    }
  }
  // the setuid helper works whenever it is root-owned with mode 4755; else user namespaces must be allowed
  const setuidReady = facts.sandbox !== null && facts.sandbox.uid === 0 && (facts.sandbox.mode & 0o7777) === 0o4755
  if (setuidReady || !facts.usernsRestricted) return null
  return {
    problem: 'This Linux restricts unprivileged user namespaces (AppArmor on Ubuntu 23.10+), and Electron\'s chrome-sandbox helper is not root-owned with mode 4755: Electron would abort before opening a window.',
    fix: `Run \`sudo chown root:root ${facts.sandboxPath} && sudo chmod 4755 ${facts.sandboxPath}\` (once per install), or allow user namespaces for Electron with an AppArmor profile.`,
  }
}

/** Reads the facts linuxSandboxProblem needs from this machine. */
export function linuxSandboxFacts(electronDir) {
  const sandboxPath = join(electronDir, 'dist', 'chrome-sandbox')
  const readFlag = (path) => {
    try {
      return readFileSync(path, 'utf8').trim()
    } catch {
      return null
    }
  }
  let sandbox = null
  try {
    const stat = statSync(sandboxPath)
    sandbox = { uid: stat.uid, mode: stat.mode }
  } catch {
    // no helper (not downloaded): the binary check reports that
  }
  return {
    platform: process.platform,
    uid: typeof process.getuid === 'function' ? process.getuid() : null,
    sandbox,
    usernsRestricted: readFlag('/proc/sys/kernel/apparmor_restrict_unprivileged_userns') === '1' || readFlag('/proc/sys/kernel/unprivileged_userns_clone') === '0',
    sandboxPath,
  }
}
