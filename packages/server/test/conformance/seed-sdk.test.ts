/** The seed guides' examples through the official SDKs (seed-sdk-suite.ts), against one server. */
import { seedSdkSuite } from './seed-sdk-suite.ts';
import { startConformance } from './support.ts';

seedSdkSuite(() => startConformance());
