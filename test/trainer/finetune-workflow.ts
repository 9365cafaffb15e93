/** Test workflow: runs only the GPU fine-tune activity, with a short heartbeat timeout. */
import { proxyActivities } from '@temporalio/workflow';
import type { FinetuneActivities } from '../../activities/finetune';
import type { TrainInput } from '../../activities/train';
import { GPU_QUEUE } from '../../contracts/queues';

export async function fineTuneOnly(input: TrainInput, heartbeatTimeout: string) {
  const { fineTuneLora } = proxyActivities<FinetuneActivities>({
    taskQueue: GPU_QUEUE,
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout,
    retry: { initialInterval: '1 second', maximumAttempts: 5 },
  });
  return fineTuneLora(input);
}
