/**
 * The seed guides' examples through the official SDKs (seed-sdk-suite.ts), against two replicas on one
 * Postgres database behind a round-robin proxy: each request of a flow lands on the other replica than the
 * one before (a chained turn, a poll of a background run, a stream, an upload's chunks, a delete).
 */
import { seedSdkSuite } from './seed-sdk-suite.ts';
import { startConformance } from './support.ts';

seedSdkSuite(() => startConformance({ replicas: 2 }));
