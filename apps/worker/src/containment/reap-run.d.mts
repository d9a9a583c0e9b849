/** One trainer run, as the worker and the lease watchdog name it. */
export interface RunProcesses {
  /** The trainer's pid, also its process group (trainers run detached); null where it cannot be trusted (a recycled pid). */
  readonly pgid: number | null;
  /** Random; set as HYPEREVOLVE_RUN_TOKEN in the trainer's environment. */
  readonly token: string;
  /** The run's cgroup directory, when the machine allows one. */
  readonly cgroup: string | null;
}

export const RUN_TOKEN_VARIABLE: 'HYPEREVOLVE_RUN_TOKEN';
/** Live processes of the run (group, cgroup, token in the environment, and their descendants). */
export function runProcesses(run: RunProcesses): number[];
/** SIGKILLs every process of the run; returns the pids signalled. */
export function reapRun(run: RunProcesses): number[];
