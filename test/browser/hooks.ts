// Root hooks of the browser suite: the shared Chromium closes after the last spec.
import { closeSharedSession } from './browser';

export const mochaHooks = {
  async afterAll(): Promise<void> {
    await closeSharedSession();
  },
};
