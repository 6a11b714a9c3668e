// deltacat_cpp._native: the extension module. Import `deltacat_cpp`, not this: the package
// checks the pyarrow version first, loads pyarrow's libarrow and registers the exception
// classes.

#include <arrow/config.h>
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include "arrow_stream.h"
#include "bindings.h"
#include "deltacat/runtime.h"
#include "deltacat/version.h"
#include "errors.h"
#include "task_runner.h"

namespace nb = nanobind;

NB_MODULE(_native, m) {
  m.doc() = "Native bindings over libdeltacat (use the deltacat_cpp package).";
  deltacat::python::ThrowIfError(deltacat::InitializeRuntime());

  deltacat::python::BindErrors(m);
  deltacat::python::BindArrowStream(m);
  deltacat::python::BindFilter(m);
  deltacat::python::BindValueTypes(m);
  deltacat::python::BindCatalog(m);
  deltacat::python::BindRemoteTasks(m);

  m.def(
      "finalize_runtime", [] { deltacat::python::ThrowIfError(deltacat::FinalizeRuntime()); },
      "Process tear-down (finalizes Arrow's S3 client); deltacat_cpp runs it at exit.");
  m.def("version_string", &deltacat::VersionString,
        "\"deltacat-cpp <version> (arrow <version>)\".");
  m.attr("__version__") = DELTACAT_CPP_VERSION;
  m.attr("ARROW_VERSION") = arrow::GetBuildInfo().version_string;
}
