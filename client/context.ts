import type { Client } from '@temporalio/client';
import type { Config } from '../config';

/** What the client's parts need: a Temporal client and the config it was made from. */
export interface ClientContext {
  readonly temporal: Client;
  readonly config: Config;
}
