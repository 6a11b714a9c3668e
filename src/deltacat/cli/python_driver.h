#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "deltacat/result.h"

namespace deltacat::cli {

/// The Python interpreter that runs Python-only commands (`compact --executor ray`):
/// $DELTACAT_PYTHON, else `python3` from PATH. It must have `deltacat_cpp` (and `ray`) installed.
std::string PythonInterpreter();

/// Runs `python -m <module> <args...>` with the interpreter above, copying its stdout to `out`
/// and its stderr to `err`, except for the last stderr line when the process fails: that line,
/// `<ErrorClass>: <message>` as deltacat_cpp's command modules print it, becomes the returned
/// error (kind from the class name; kInternal for an unknown one). kInvalidArgument when the
/// interpreter cannot be started or lacks `deltacat_cpp`.
Status RunPythonModule(const std::string& module, const std::vector<std::string>& args,
                       std::ostream& out, std::ostream& err);

}  // namespace deltacat::cli
