/**
 * A row that cannot become an example; names the file, the row id and the column at fault.
 *
 * @example
 * new InvalidRowError({ file: "39Krelease.parquet", rowId: "q7", column: "answer", row: 7, problem: "empty answer" })
 *   .message; // '39Krelease.parquet: row 7 (id "q7"), column "answer": empty answer'
 */
export class InvalidRowError extends Error {
  override readonly name = "InvalidRowError";
  readonly file: string;
  readonly rowId: string;
  readonly column: string;
  /** Physical row index in the parquet file. */
  readonly row: number;

  constructor(details: {
    file: string;
    rowId: string;
    column: string;
    row: number;
    problem: string;
    cause?: unknown;
  }) {
    super(
      `${details.file}: row ${details.row} (id "${details.rowId}"), column "${details.column}": ${details.problem}`,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.file = details.file;
    this.rowId = details.rowId;
    this.column = details.column;
    this.row = details.row;
  }
}
