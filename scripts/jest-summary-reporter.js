// Prints one plain closing line ("tests: N passed, N failed") that any CI log reader understands.
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const extra = skipped ? `, ${skipped} skipped` : '';
    process.stderr.write(
      `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed${extra}\n`,
    );
  }
}
