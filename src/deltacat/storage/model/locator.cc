#include "deltacat/storage/model/locator.h"

namespace deltacat::storage {

TableLocator TableLocator::Of(std::string namespace_name, std::string table_name) {
  TableLocator locator;
  locator.namespace_locator = NamespaceLocator{std::move(namespace_name), {}};
  locator.table_name = std::move(table_name);
  return locator;
}

std::optional<std::string> TableLocator::NamespaceName() const {
  if (!namespace_locator) return std::nullopt;
  return namespace_locator->namespace_name;
}

const TableLocator* StreamLocator::FindTableLocator() const {
  if (!table_version_locator || !table_version_locator->table_locator) return nullptr;
  return &*table_version_locator->table_locator;
}

TableLocator* StreamLocator::FindMutableTableLocator() {
  if (!table_version_locator || !table_version_locator->table_locator) return nullptr;
  return &*table_version_locator->table_locator;
}

const TableLocator* PartitionLocator::FindTableLocator() const {
  return stream_locator ? stream_locator->FindTableLocator() : nullptr;
}

TableLocator* PartitionLocator::FindMutableTableLocator() {
  return stream_locator ? stream_locator->FindMutableTableLocator() : nullptr;
}

const TableLocator* DeltaLocator::FindTableLocator() const {
  return partition_locator ? partition_locator->FindTableLocator() : nullptr;
}

TableLocator* DeltaLocator::FindMutableTableLocator() {
  return partition_locator ? partition_locator->FindMutableTableLocator() : nullptr;
}

}  // namespace deltacat::storage
