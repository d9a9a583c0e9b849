export { CorruptStateError } from '@hyperevolve/contract';

/**
 * A campaign-level request that cannot be carried out. Asking for something the campaign
 * cannot do (an unknown name, resume after cancel) is misuse: exit 2, as the README promises;
 * exit 1 is for a request that was fine but failed. `httpStatus` is the dashboard's answer.
 */
export class CampaignError extends Error {
  override readonly name = 'CampaignError';
  readonly exitCode: number;
  readonly httpStatus: 404 | 409;

  constructor(message: string, exitCode = 1, httpStatus: 404 | 409 = 409) {
    super(message);
    this.exitCode = exitCode;
    this.httpStatus = httpStatus;
  }
}
