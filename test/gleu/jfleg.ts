/** JFLEG dev for tests: the same loader the evaluation stage uses. */
export { jfleg, loadJfleg } from '../../adapters/jfleg';
export { JFLEG_DIR } from '../../config/paths';
