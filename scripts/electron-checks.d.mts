export interface LaunchProblem {
  problem: string
  fix: string
}
export interface SandboxFacts {
  platform: string
  uid: number | null
  sandbox: { uid: number; mode: number } | null
  usernsRestricted: boolean
  sandboxPath: string
  noSandbox?: boolean
}
export function electronBinaryProblem(electronDir: string): LaunchProblem | null
export function linuxSandboxProblem(facts: SandboxFacts): LaunchProblem | null
export function linuxSandboxFacts(electronDir: string): SandboxFacts
