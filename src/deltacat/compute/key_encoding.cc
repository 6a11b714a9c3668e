#include "deltacat/compute/key_encoding.h"

#include <cstring>

#include <arrow/array/array_binary.h>
#include <arrow/type_traits.h>
#include <arrow/util/checked_cast.h>
#include <xxhash.h>

namespace deltacat::compute {
namespace {

/// How a column's values are laid out in memory, which decides how they are encoded.
enum class Layout { kNull, kBool, kFixed, kBinary32, kBinary64, kView, kUnsupported };

Layout LayoutOf(const arrow::DataType& type) {
  switch (type.id()) {
    case arrow::Type::NA: return Layout::kNull;
    case arrow::Type::BOOL: return Layout::kBool;
    case arrow::Type::INT8:
    case arrow::Type::INT16:
    case arrow::Type::INT32:
    case arrow::Type::INT64:
    case arrow::Type::UINT8:
    case arrow::Type::UINT16:
    case arrow::Type::UINT32:
    case arrow::Type::UINT64:
    case arrow::Type::HALF_FLOAT:
    case arrow::Type::FLOAT:
    case arrow::Type::DOUBLE:
    case arrow::Type::DATE32:
    case arrow::Type::DATE64:
    case arrow::Type::TIME32:
    case arrow::Type::TIME64:
    case arrow::Type::TIMESTAMP:
    case arrow::Type::DURATION:
    case arrow::Type::DECIMAL128:
    case arrow::Type::DECIMAL256:
    case arrow::Type::FIXED_SIZE_BINARY:
    case arrow::Type::INTERVAL_MONTHS:
    case arrow::Type::INTERVAL_DAY_TIME:
    case arrow::Type::INTERVAL_MONTH_DAY_NANO: return Layout::kFixed;
    case arrow::Type::STRING:
    case arrow::Type::BINARY: return Layout::kBinary32;
    case arrow::Type::LARGE_STRING:
    case arrow::Type::LARGE_BINARY: return Layout::kBinary64;
    case arrow::Type::STRING_VIEW:
    case arrow::Type::BINARY_VIEW: return Layout::kView;
    default: return Layout::kUnsupported;
  }
}

int64_t FixedWidthBytes(const arrow::DataType& type) {
  return arrow::internal::checked_cast<const arrow::FixedWidthType&>(type).bit_width() / 8;
}

/// Read access to one column, resolved once so the per-row loops do no type dispatch.
struct ColumnReader {
  const arrow::Array* array = nullptr;
  Layout layout = Layout::kUnsupported;
  int64_t width = 0;                // kFixed: bytes per value
  const uint8_t* values = nullptr;  // kFixed, kBinary*: value bytes (already offset for kFixed)
  const int32_t* offsets32 = nullptr;
  const int64_t* offsets64 = nullptr;
  const uint8_t* bool_bits = nullptr;
  int64_t bit_offset = 0;

  explicit ColumnReader(const arrow::Array& a) : array(&a), layout(LayoutOf(*a.type())) {
    const auto& data = *a.data();
    switch (layout) {
      case Layout::kFixed:
        width = FixedWidthBytes(*a.type());
        if (data.buffers.size() > 1 && data.buffers[1] != nullptr) {
          values = data.buffers[1]->data() + data.offset * width;
        }
        break;
      case Layout::kBool:
        if (data.buffers.size() > 1 && data.buffers[1] != nullptr) {
          bool_bits = data.buffers[1]->data();
        }
        bit_offset = data.offset;
        break;
      case Layout::kBinary32:
        offsets32 = data.GetValues<int32_t>(1);
        values = data.buffers[2] != nullptr ? data.buffers[2]->data() : nullptr;
        break;
      case Layout::kBinary64:
        offsets64 = data.GetValues<int64_t>(1);
        values = data.buffers[2] != nullptr ? data.buffers[2]->data() : nullptr;
        break;
      default: break;
    }
  }

  bool IsValid(int64_t i) const { return layout != Layout::kNull && array->IsValid(i); }

  /// Bytes of a valid variable-width value.
  std::string_view Bytes(int64_t i) const {
    switch (layout) {
      case Layout::kBinary32:
        return {reinterpret_cast<const char*>(values) + offsets32[i],
                static_cast<size_t>(offsets32[i + 1] - offsets32[i])};
      case Layout::kBinary64:
        return {reinterpret_cast<const char*>(values) + offsets64[i],
                static_cast<size_t>(offsets64[i + 1] - offsets64[i])};
      case Layout::kView:
        return arrow::internal::checked_cast<const arrow::BinaryViewArray&>(*array).GetView(i);
      default: return {};
    }
  }

  bool variable_width() const {
    return layout == Layout::kBinary32 || layout == Layout::kBinary64 || layout == Layout::kView;
  }

  /// Encoded size of a fixed-width column value, tag included.
  int64_t fixed_encoded_size() const {
    switch (layout) {
      case Layout::kNull: return 1;
      case Layout::kBool: return 2;
      case Layout::kFixed: return 1 + width;
      default: return -1;
    }
  }

  /// Writes the encoding of a fixed-width value (tag included) at `dst`.
  void WriteFixed(int64_t i, uint8_t* dst) const {
    const bool valid = IsValid(i);
    dst[0] = valid ? 1 : 0;
    if (layout == Layout::kBool) {
      dst[1] = valid && bool_bits != nullptr
                   ? static_cast<uint8_t>(arrow::bit_util::GetBit(bool_bits, bit_offset + i))
                   : 0;
    } else if (layout == Layout::kFixed) {
      if (valid) {
        std::memcpy(dst + 1, values + i * width, static_cast<size_t>(width));
      } else {
        std::memset(dst + 1, 0, static_cast<size_t>(width));
      }
    }
  }
};

/// Fills `dst + r * stride` for every row, specialised on the value width so the copy inlines.
template <int64_t kWidth>
void WriteFixedColumn(const ColumnReader& reader, int64_t num_rows, uint8_t* dst, int64_t stride) {
  const uint8_t* values = reader.values;
  const arrow::Array& array = *reader.array;
  if (array.null_count() == 0) {
    for (int64_t r = 0; r < num_rows; ++r, dst += stride) {
      dst[0] = 1;
      std::memcpy(dst + 1, values + r * kWidth, kWidth);
    }
    return;
  }
  for (int64_t r = 0; r < num_rows; ++r, dst += stride) {
    if (array.IsValid(r)) {
      dst[0] = 1;
      std::memcpy(dst + 1, values + r * kWidth, kWidth);
    } else {
      std::memset(dst, 0, kWidth + 1);
    }
  }
}

void WriteColumnStrided(const ColumnReader& reader, int64_t num_rows, uint8_t* dst,
                        int64_t stride) {
  if (reader.layout == Layout::kFixed && reader.values != nullptr) {
    switch (reader.width) {
      case 1: return WriteFixedColumn<1>(reader, num_rows, dst, stride);
      case 2: return WriteFixedColumn<2>(reader, num_rows, dst, stride);
      case 4: return WriteFixedColumn<4>(reader, num_rows, dst, stride);
      case 8: return WriteFixedColumn<8>(reader, num_rows, dst, stride);
      case 16: return WriteFixedColumn<16>(reader, num_rows, dst, stride);
      default: break;
    }
  }
  for (int64_t r = 0; r < num_rows; ++r, dst += stride) reader.WriteFixed(r, dst);
}

}  // namespace

Status CheckEncodableKeyType(const arrow::DataType& type, std::string_view column) {
  if (LayoutOf(type) == Layout::kUnsupported) {
    return MakeError(ErrorCode::kInvalidArgument, "column '", column, "' has type ",
                     type.ToString(),
                     ", which cannot be compared as a merge key or delete column (expected a "
                     "primitive, string, binary, temporal or decimal type)");
  }
  return Status::OK();
}

int64_t FixedEncodedWidth(const arrow::DataType& type) {
  switch (LayoutOf(type)) {
    case Layout::kNull: return 1;
    case Layout::kBool: return 2;
    case Layout::kFixed: return 1 + FixedWidthBytes(type);
    default: return -1;
  }
}

uint64_t HashEncodedRow(std::string_view encoded) {
  return XXH3_64bits(encoded.data(), encoded.size());
}

Result<EncodedRows> EncodedRows::Encode(const std::vector<std::shared_ptr<arrow::Array>>& columns,
                                        int64_t num_rows) {
  std::vector<ColumnReader> readers;
  readers.reserve(columns.size());
  int64_t stride = 0;
  bool all_fixed = true;
  for (const auto& column : columns) {
    if (column->length() != num_rows) {
      return MakeError(ErrorCode::kInternal, "key column of length ", column->length(),
                       " encoded with ", num_rows, " rows");
    }
    DC_RETURN_NOT_OK(CheckEncodableKeyType(*column->type(), column->type()->ToString()));
    readers.emplace_back(*column);
    if (readers.back().variable_width()) {
      all_fixed = false;
    } else {
      stride += readers.back().fixed_encoded_size();
    }
  }

  EncodedRows out;
  out.num_rows_ = num_rows;
  if (all_fixed) {
    // Every row has the same size: write each column straight at its offset within the row.
    out.stride_ = stride;
    out.bytes_.resize(static_cast<size_t>(num_rows * stride));
    int64_t column_offset = 0;
    for (const auto& reader : readers) {
      WriteColumnStrided(reader, num_rows, out.bytes_.data() + column_offset, stride);
      column_offset += reader.fixed_encoded_size();
    }
  } else {
    // Pass 1: row sizes. Pass 2: offsets. Pass 3: each column writes at its row cursors.
    out.offsets_.assign(static_cast<size_t>(num_rows + 1), 0);
    int64_t* sizes = out.offsets_.data() + 1;
    for (const auto& reader : readers) {
      if (!reader.variable_width()) {
        const int64_t size = reader.fixed_encoded_size();
        for (int64_t r = 0; r < num_rows; ++r) sizes[r] += size;
        continue;
      }
      for (int64_t r = 0; r < num_rows; ++r) {
        sizes[r] += reader.IsValid(r)
                        ? 1 + static_cast<int64_t>(sizeof(uint64_t) + reader.Bytes(r).size())
                        : 1;
      }
    }
    for (int64_t r = 0; r < num_rows; ++r) out.offsets_[r + 1] += out.offsets_[r];
    out.bytes_.resize(static_cast<size_t>(out.offsets_[num_rows]));
    PoolVector<int64_t> cursor(out.offsets_.begin(), out.offsets_.end() - 1);
    uint8_t* base = out.bytes_.data();
    for (const auto& reader : readers) {
      if (!reader.variable_width()) {
        const int64_t size = reader.fixed_encoded_size();
        for (int64_t r = 0; r < num_rows; ++r) {
          reader.WriteFixed(r, base + cursor[r]);
          cursor[r] += size;
        }
        continue;
      }
      for (int64_t r = 0; r < num_rows; ++r) {
        uint8_t* dst = base + cursor[r];
        if (!reader.IsValid(r)) {
          dst[0] = 0;
          cursor[r] += 1;
          continue;
        }
        const std::string_view bytes = reader.Bytes(r);
        const uint64_t length = bytes.size();
        dst[0] = 1;
        std::memcpy(dst + 1, &length, sizeof(length));
        if (length > 0) std::memcpy(dst + 1 + sizeof(length), bytes.data(), bytes.size());
        cursor[r] += 1 + static_cast<int64_t>(sizeof(length) + bytes.size());
      }
    }
  }

  out.hashes_.resize(static_cast<size_t>(num_rows));
  for (int64_t r = 0; r < num_rows; ++r) out.hashes_[r] = HashEncodedRow(out.row(r));
  return out;
}

void AppendEncodedValue(const arrow::Array& array, int64_t i, std::string* out) {
  const ColumnReader reader(array);
  if (!reader.variable_width()) {
    const size_t at = out->size();
    out->resize(at + static_cast<size_t>(reader.fixed_encoded_size()));
    reader.WriteFixed(i, reinterpret_cast<uint8_t*>(out->data()) + at);
    return;
  }
  if (!reader.IsValid(i)) {
    out->push_back('\0');
    return;
  }
  const std::string_view bytes = reader.Bytes(i);
  const uint64_t length = bytes.size();
  out->push_back('\1');
  out->append(reinterpret_cast<const char*>(&length), sizeof(length));
  out->append(bytes);
}

}  // namespace deltacat::compute
