/**
 * All activities, built over injected dependencies. Workflows import only the *type*.
 */
import type { ActivityDeps } from './deps';
import { compareActivities } from './compare';
import { healthActivities } from './health';
import { driftActivities } from './drift';
import { evaluateActivities } from './evaluate';
import { finetuneActivities } from './finetune';
import { generateActivities } from './generate';
import { registryActivities } from './registry';
import { trainActivities } from './train';
import { userSampleActivities } from './user-samples';
import { validateActivities } from './validate';
import { versionActivities } from './version';

export function createActivities(deps: ActivityDeps) {
  return {
    ...healthActivities(deps),
    ...versionActivities(deps),
    ...generateActivities(deps),
    ...userSampleActivities(deps),
    ...validateActivities(deps),
    ...trainActivities(deps),
    ...evaluateActivities(deps),
    ...compareActivities(deps),
    ...registryActivities(deps),
    ...driftActivities(deps),
  };
}

/** Activities the GPU queue runs: only the fine-tune. */
export function createGpuActivities(deps: ActivityDeps) {
  return finetuneActivities(deps);
}

/** Every activity a workflow may call, whichever queue runs it. */
export type Activities = ReturnType<typeof createActivities> & ReturnType<typeof createGpuActivities>;
export type { DependencyReport } from './health';
