/** Why a script that only the run holding a trial may run refused that run (its Missing, WrongStatus and NotHolder codes). */
export function runHolderRefusal(code: 'Missing' | 'WrongStatus' | 'NotHolder', detail: string): string {
  switch (code) {
    case 'Missing':
      return 'the trial hash does not exist';
    case 'WrongStatus':
      return `the trial is ${detail === '' ? 'in an unknown state' : detail}, not running`;
    case 'NotHolder':
      return `another run (${detail === '' ? 'unknown' : detail}) holds the trial`;
  }
}
