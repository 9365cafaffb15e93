// Every committed migration, in order. `npm run migration:generate -- Name` appends new ones.
import { DataFlywheel1796045659220 } from './1796045659220-DataFlywheel';
import { FeedbackToken1796037265692 } from './1796037265692-FeedbackToken';
import { InitialSchema1795559695642 } from './1795559695642-InitialSchema';
export const MIGRATIONS: Function[] = [InitialSchema1795559695642, FeedbackToken1796037265692, DataFlywheel1796045659220];
