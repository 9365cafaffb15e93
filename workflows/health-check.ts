import { proxyActivities } from '@temporalio/workflow';
import type { Activities, DependencyReport } from '../activities';

const { checkDependencies } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3, initialInterval: '1 second' },
});

/** A smallest real workflow: the worker reaches the database, MLflow and Chroma. */
export async function stackHealthCheck(): Promise<DependencyReport> {
  return checkDependencies();
}
