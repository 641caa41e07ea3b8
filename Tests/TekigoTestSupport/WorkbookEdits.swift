import Foundation

/// A workbook edited in openpyxl, as a person edits it in Excel: the one script the workbook tests of the report
/// module, the server and the command line share.
public enum WorkbookEdits {
    public struct Failed: Error, CustomStringConvertible {
        public let description: String
    }

    /// Sets the status (column D) of the objectives in `statuses` (by column A), of every other row to `all` when
    /// given, then each cell in `cells` by reference (`E14`); saves and returns the file's bytes.
    public static func edit(_ data: Data, statuses: [String: String] = [:], all: String? = nil,
                            cells: [String: String] = [:]) throws -> Data {
        let python = try TestEnvironment.validator("python")
        let dir = try TestEnvironment.temporaryDirectory("tekigo-workbook-edit")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("w.xlsx")
        try data.write(to: file)
        let script = """
        import json, sys
        import openpyxl
        args = json.loads(sys.argv[2])
        wb = openpyxl.load_workbook(sys.argv[1])
        ws = wb.worksheets[0]
        if args["statuses"] or args["all"] is not None:
            for row in range(2, ws.max_row + 1):
                objective = ws.cell(row=row, column=1).value
                if objective in args["statuses"]:
                    ws.cell(row=row, column=4).value = args["statuses"][objective]
                elif args["all"] is not None:
                    ws.cell(row=row, column=4).value = args["all"]
        for ref, value in args["cells"].items():
            ws[ref] = value
        wb.save(sys.argv[1])
        """
        let args: [String: Any] = ["statuses": statuses, "all": all as Any? ?? NSNull(), "cells": cells]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: args), as: UTF8.self)
        let result = try runProcess(python, ["-c", script, file.path, json])
        guard result.status == 0 else { throw Failed(description: "openpyxl failed: \(result.stderr)") }
        return try Data(contentsOf: file)
    }
}
