// Errors carry a `type` that becomes trace.error.type; messages follow PyTorch's wording where
// PyTorch has one, so a user searching the message finds answers.

export class EngineError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
    this.name = type;
  }
}

/** Shapes that do not broadcast, multiply, reshape or index. */
export class ShapeError extends EngineError {
  constructor(message: string) { super('ShapeError', message); }
}

/** An op, argument or dtype Gradlens does not cover: always names it. */
export class UnsupportedError extends EngineError {
  constructor(message: string) { super('UnsupportedError', message); }
}

/** Autograd misuse that PyTorch reports as a RuntimeError (backward without grad, in-place on a leaf…). */
export class GradError extends EngineError {
  constructor(message: string) { super('RuntimeError', message); }
}

export class IndexError extends EngineError {
  constructor(message: string) { super('IndexError', message); }
}

/** The tensor-data memory cap was hit; the message names the requested shape. */
export class MemoryLimitError extends EngineError {
  constructor(message: string) { super('MemoryError', message); }
}
