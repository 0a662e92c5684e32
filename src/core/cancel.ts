// Cooperative cancellation of a running layer job: long kernels call `check` between blocks of work.

/** The job was superseded by a newer request for the same run and layer. */
export class Cancelled extends Error {
  constructor() {
    super('superseded by a newer request');
  }
}

/** Throws Cancelled when the job should stop; called between blocks of work. */
export type CancelCheck = () => void;

export const neverCancelled: CancelCheck = () => undefined;
