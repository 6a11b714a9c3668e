#pragma once

#include <string>
#include <vector>

#include "deltacat/storage/msgpack_value.h"

namespace deltacat::storage {

/// What a decoded msgpack map carried beyond the fields a model struct has.
///
/// Python's models are dicts: keys they do not know are kept and copied forward on every
/// update, and an update keeps the key order it read. Every model struct carries one of these
/// so a C++ rewrite does the same: unknown keys are written back after the known ones, and
/// when `key_order` is set (the struct was decoded, not built) the written map follows the
/// original order and leaves out keys that were absent and are still nil.
struct MapExtras {
  /// Entries whose keys the struct does not model, in the order read.
  MsgMap unknown;
  /// Every key of the decoded map in its original order; empty for a struct built in C++.
  std::vector<std::string> key_order;

  /// Compares the unknown entries only: key order is layout, not content.
  bool operator==(const MapExtras& other) const {
    return MsgValue::Map(unknown) == MsgValue::Map(other.unknown);
  }
};

}  // namespace deltacat::storage
