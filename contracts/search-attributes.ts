/**
 * Custom search attributes, so operators can follow and filter runs in the Temporal Web UI
 * without reading logs. The stack registers exactly this list on the dev server.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const STAGE = defineSearchAttributeKey('Stage', SearchAttributeType.KEYWORD);
export const DATASET_VERSION = defineSearchAttributeKey('DatasetVersion', SearchAttributeType.KEYWORD);
export const CANDIDATE_VERSION = defineSearchAttributeKey('CandidateVersion', SearchAttributeType.KEYWORD);
export const PROMOTED = defineSearchAttributeKey('Promoted', SearchAttributeType.BOOL);
export const MODEL_NAME = defineSearchAttributeKey('ModelName', SearchAttributeType.KEYWORD);
export const CONTROLLER_STATE = defineSearchAttributeKey('ControllerState', SearchAttributeType.KEYWORD);
/** Pipelines a RetrainingController has started, and what triggered the latest decision. */
export const CONTROLLER_PIPELINES = defineSearchAttributeKey('ControllerPipelines', SearchAttributeType.INT);
export const LAST_TRIGGER = defineSearchAttributeKey('LastTrigger', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [STAGE, DATASET_VERSION, CANDIDATE_VERSION, PROMOTED, MODEL_NAME, CONTROLLER_STATE, CONTROLLER_PIPELINES, LAST_TRIGGER];
