// planted: domain-has-no-io (twice)
import { spawn } from 'node:child_process';
import pg from 'pg';
export const io = [spawn, pg];
