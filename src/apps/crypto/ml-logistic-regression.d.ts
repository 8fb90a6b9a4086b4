// Types for ml-logistic-regression 2.x, which ships none: the parts the spike model uses.
declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';

  interface TwoClassClassifier {
    readonly weights: Matrix | null;
    testScores(features: Matrix): number[];
  }

  // biome-ignore lint/style/noDefaultExport: the package's CommonJS module.exports is this class.
  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    readonly numberClasses: number;
    /** One-vs-all classifiers: classifiers[c] scores "not class c". */
    readonly classifiers: TwoClassClassifier[];
    train(features: Matrix, target: Matrix): void;
    predict(features: Matrix): number[];
  }
}
