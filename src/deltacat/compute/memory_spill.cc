#include "deltacat/compute/memory_spill.h"

#include <utility>

#include <arrow/compute/api_vector.h>
#include <arrow/datum.h>

#include "deltacat/compute/compaction_input.h"

namespace deltacat::compute {

Result<std::shared_ptr<arrow::RecordBatch>> SelectedBatch::Materialize() const {
  if (selection == nullptr) return batch;
  DC_ASSIGN_OR_RAISE(arrow::Datum taken,
                     arrow::compute::Take(arrow::Datum(batch), arrow::Datum(selection)));
  return taken.record_batch();
}

MemorySpillStore& MemorySpillStore::Global() {
  static auto* store = new MemorySpillStore();  // never destroyed: tasks may outlive statics
  return *store;
}

int32_t MemorySpillStore::Append(const std::string& path, SelectedBatch batch) {
  const int64_t rows = batch.batch->num_rows();
  const int64_t size =
      rows == 0
          ? 0
          : static_cast<int64_t>(static_cast<double>(BatchBytes(*batch.batch)) *
                                 static_cast<double>(batch.num_rows()) / static_cast<double>(rows));
  std::lock_guard<std::mutex> lock(mutex_);
  Spill& spill = spills_[path];
  spill.batches.push_back(std::move(batch));
  spill.sizes.push_back(size);
  ++spill.remaining;
  bytes_ += size;
  return static_cast<int32_t>(spill.batches.size() - 1);
}

bool MemorySpillStore::Contains(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return spills_.count(path) > 0;
}

Result<std::vector<SelectedBatch>> MemorySpillStore::Take(const std::string& path,
                                                          const std::vector<int32_t>& indices) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = spills_.find(path);
  if (found == spills_.end()) {
    return MakeError(ErrorCode::kInvalidArgument, "no in-memory spill ", path);
  }
  Spill& spill = found->second;
  for (int32_t index : indices) {
    if (index < 0 || static_cast<size_t>(index) >= spill.batches.size() ||
        spill.batches[static_cast<size_t>(index)].batch == nullptr) {
      return MakeError(ErrorCode::kInvalidArgument, "in-memory spill ", path, " has no batch ",
                       index, " (out of range or already read)");
    }
  }
  std::vector<SelectedBatch> out;
  out.reserve(indices.size());
  for (int32_t index : indices) {
    const auto i = static_cast<size_t>(index);
    out.push_back(std::move(spill.batches[i]));
    bytes_ -= spill.sizes[i];
    --spill.remaining;
  }
  if (spill.remaining == 0) spills_.erase(found);
  return out;
}

void MemorySpillStore::RemoveUnder(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string prefix = dir.ends_with('/') ? dir : dir + "/";
  auto drop = [&](std::map<std::string, Spill>::iterator it) {
    for (size_t i = 0; i < it->second.batches.size(); ++i) {
      if (it->second.batches[i].batch != nullptr) bytes_ -= it->second.sizes[i];
    }
    return spills_.erase(it);
  };
  if (auto exact = spills_.find(dir); exact != spills_.end()) drop(exact);
  for (auto it = spills_.lower_bound(prefix);
       it != spills_.end() && it->first.starts_with(prefix);) {
    it = drop(it);
  }
}

int64_t MemorySpillStore::bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bytes_;
}

}  // namespace deltacat::compute
