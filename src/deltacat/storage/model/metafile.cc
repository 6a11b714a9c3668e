#include "deltacat/storage/model/metafile.h"

#include <type_traits>

namespace deltacat::storage {

MetafileKind KindOf(const Metafile& metafile) {
  return static_cast<MetafileKind>(metafile.index());
}

std::string_view MetafileKindName(MetafileKind kind) {
  switch (kind) {
    case MetafileKind::kNamespace: return "Namespace";
    case MetafileKind::kTable: return "Table";
    case MetafileKind::kTableVersion: return "TableVersion";
    case MetafileKind::kStream: return "Stream";
    case MetafileKind::kPartition: return "Partition";
    case MetafileKind::kDelta: return "Delta";
  }
  return "?";
}

std::string_view LocatorKey(MetafileKind kind) {
  switch (kind) {
    case MetafileKind::kNamespace: return "namespaceLocator";
    case MetafileKind::kTable: return "tableLocator";
    case MetafileKind::kTableVersion: return "tableVersionLocator";
    case MetafileKind::kStream: return "streamLocator";
    case MetafileKind::kPartition: return "partitionLocator";
    case MetafileKind::kDelta: return "deltaLocator";
  }
  return "?";
}

size_t AncestorCount(MetafileKind kind) { return static_cast<size_t>(kind); }

std::string MetafileId(const Namespace& m) { return m.id; }
std::string MetafileId(const Table& m) { return m.id; }
std::string MetafileId(const TableVersion& m) { return m.locator.table_version.value_or(""); }
std::string MetafileId(const Stream& m) { return m.locator.stream_id.value_or(""); }
std::string MetafileId(const Partition& m) { return m.locator.partition_id.value_or(""); }
std::string MetafileId(const Delta& m) {
  return m.locator.stream_position ? std::to_string(*m.locator.stream_position) : "None";
}
std::string MetafileId(const Metafile& metafile) {
  return std::visit([](const auto& m) { return MetafileId(m); }, metafile);
}

std::optional<StreamLocatorAlias> LocatorAliasOf(const Stream& stream) {
  if (stream.state && stream.state->is(CommitState::kStaged)) return std::nullopt;
  return StreamLocatorAlias{stream.locator.format, stream.locator.table_version_locator, {}};
}

std::optional<PartitionLocatorAlias> LocatorAliasOf(const Partition& partition) {
  if (partition.state && partition.state->is(CommitState::kStaged)) return std::nullopt;
  return PartitionLocatorAlias{partition.locator.partition_values,
                               partition.partition_scheme_id,
                               partition.locator.stream_locator,
                               {}};
}

const std::vector<std::string>& AncestorIds(const Metafile& metafile) {
  return std::visit([](const auto& m) -> const std::vector<std::string>& { return m.ancestor_ids; },
                    metafile);
}

std::vector<std::string>& MutableAncestorIds(Metafile& metafile) {
  return std::visit([](auto& m) -> std::vector<std::string>& { return m.ancestor_ids; }, metafile);
}

Status ValidateAncestorIds(const Metafile& metafile) {
  MetafileKind kind = KindOf(metafile);
  const std::vector<std::string>& ids = AncestorIds(metafile);
  if (ids.size() != AncestorCount(kind)) {
    return MakeError(ErrorCode::kCorruptMetadata, MetafileKindName(kind), " '",
                     MetafileId(metafile), "' has ", ids.size(), " ancestor_ids but needs ",
                     AncestorCount(kind));
  }
  for (const std::string& id : ids) {
    if (id.empty() || id.find('/') != std::string::npos || id == "." || id == "..") {
      return MakeError(ErrorCode::kCorruptMetadata, MetafileKindName(kind), " '",
                       MetafileId(metafile), "' has an invalid ancestor id '", id, "'");
    }
  }
  return Status::OK();
}

namespace {

/// The table locator that holds the sentinel for every kind below a table.
template <typename M>
const TableLocator* TableLocatorOf(const M& m) {
  if constexpr (std::is_same_v<M, TableVersion>) {
    return m.locator.table_locator ? &*m.locator.table_locator : nullptr;
  } else {
    return m.locator.FindTableLocator();
  }
}

template <typename M>
TableLocator* MutableTableLocatorOf(M& m) {
  if constexpr (std::is_same_v<M, TableVersion>) {
    return m.locator.table_locator ? &*m.locator.table_locator : nullptr;
  } else {
    return m.locator.FindMutableTableLocator();
  }
}

template <typename M>
bool TableSentinelPresent(const M& m) {
  const TableLocator* table = TableLocatorOf(m);
  return table != nullptr && table->table_name == MetafileId(m);
}

template <typename M>
void RestoreTableLocator(M& m, const TableLocator& table_locator) {
  if (!TableSentinelPresent(m)) return;
  *MutableTableLocatorOf(m) = table_locator;
}

}  // namespace

Metafile WithParentSentinel(const Metafile& metafile) {
  Metafile out = metafile;
  std::visit(
      [](auto& m) {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, Namespace>) {
          return;
        } else if constexpr (std::is_same_v<M, Table>) {
          if (m.locator.namespace_locator) {
            m.locator.namespace_locator = NamespaceLocator{m.id, {}};
          }
        } else {
          // Python replaces the whole table locator with TableLocator.at(id, id); the key it
          // sits under keeps its position.
          if (TableLocator* table = MutableTableLocatorOf(m)) {
            std::string id = MetafileId(m);
            *table = TableLocator::Of(id, id);
          }
        }
      },
      out);
  return out;
}

bool HasParentSentinel(const Metafile& metafile) {
  return std::visit(
      [](const auto& m) {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, Namespace>) {
          return false;
        } else if constexpr (std::is_same_v<M, Table>) {
          return m.locator.namespace_locator.has_value() &&
                 m.locator.namespace_locator->namespace_name == m.id;
        } else {
          return TableSentinelPresent(m);
        }
      },
      metafile);
}

int SentinelSourceLevel(MetafileKind kind) {
  switch (kind) {
    case MetafileKind::kNamespace: return 0;
    case MetafileKind::kTable: return 1;
    case MetafileKind::kTableVersion: return 1;
    case MetafileKind::kStream: return 2;
    case MetafileKind::kPartition: return 3;
    case MetafileKind::kDelta: return 4;
  }
  return 0;
}

void RestoreParent(Table& table, const NamespaceLocator& namespace_locator) {
  if (!table.locator.namespace_locator ||
      table.locator.namespace_locator->namespace_name != table.id) {
    return;
  }
  table.locator.namespace_locator = namespace_locator;
}

void RestoreParent(TableVersion& table_version, const TableLocator& table_locator) {
  RestoreTableLocator(table_version, table_locator);
}
void RestoreParent(Stream& stream, const TableLocator& table_locator) {
  RestoreTableLocator(stream, table_locator);
}
void RestoreParent(Partition& partition, const TableLocator& table_locator) {
  RestoreTableLocator(partition, table_locator);
}
void RestoreParent(Delta& delta, const TableLocator& table_locator) {
  RestoreTableLocator(delta, table_locator);
}

Status RestoreParent(Metafile& metafile, const Metafile& source) {
  if (!HasParentSentinel(metafile)) return Status::OK();
  MetafileKind kind = KindOf(metafile);
  MetafileKind expected =
      kind == MetafileKind::kTable ? MetafileKind::kNamespace : MetafileKind::kTable;
  if (KindOf(source) != expected) {
    return MakeError(ErrorCode::kInvalidArgument, "restoring the parent of a ",
                     MetafileKindName(kind), " needs a ", MetafileKindName(expected), " but got a ",
                     MetafileKindName(KindOf(source)));
  }
  if (auto* table = std::get_if<Table>(&metafile)) {
    RestoreParent(*table, std::get<Namespace>(source).locator);
    return Status::OK();
  }
  const TableLocator& table_locator = std::get<Table>(source).locator;
  std::visit(
      [&](auto& m) {
        using M = std::decay_t<decltype(m)>;
        if constexpr (!std::is_same_v<M, Namespace> && !std::is_same_v<M, Table>) {
          RestoreTableLocator(m, table_locator);
        }
      },
      metafile);
  return Status::OK();
}

}  // namespace deltacat::storage
