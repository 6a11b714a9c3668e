#include "deltacat/storage/msgpack_value.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_map>

#include "deltacat/storage/base64.h"

namespace deltacat::storage {

// --- MsgValue ------------------------------------------------------------------------------

MsgValue MsgValue::Bool(bool value) { return MsgValue(Storage(value)); }
MsgValue MsgValue::Int(int64_t value) { return MsgValue(Storage(value)); }
MsgValue MsgValue::Uint(uint64_t value) {
  // One representation per integer value keeps equality and re-encoding trivial.
  if (value <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return MsgValue(Storage(static_cast<int64_t>(value)));
  }
  return MsgValue(Storage(value));
}
MsgValue MsgValue::Double(double value) { return MsgValue(Storage(value)); }
MsgValue MsgValue::String(std::string value) { return MsgValue(Storage(std::move(value))); }
MsgValue MsgValue::Binary(std::string bytes) {
  return MsgValue(Storage(MsgBinary{std::move(bytes)}));
}
MsgValue MsgValue::Array(MsgArray items) { return MsgValue(Storage(std::move(items))); }
MsgValue MsgValue::Map(MsgMap entries) { return MsgValue(Storage(std::move(entries))); }

MsgValue::Type MsgValue::type() const {
  switch (storage_.index()) {
    case 0: return Type::kNil;
    case 1: return Type::kBool;
    case 2: return Type::kInt;
    case 3: return Type::kUint;
    case 4: return Type::kDouble;
    case 5: return Type::kString;
    case 6: return Type::kBinary;
    case 7: return Type::kArray;
    default: return Type::kMap;
  }
}

std::string_view MsgValue::TypeName() const {
  switch (type()) {
    case Type::kNil: return "nil";
    case Type::kBool: return "bool";
    case Type::kInt: return "int";
    case Type::kUint: return "uint";
    case Type::kDouble: return "float";
    case Type::kString: return "str";
    case Type::kBinary: return "bin";
    case Type::kArray: return "array";
    case Type::kMap: return "map";
  }
  return "?";
}

std::optional<bool> MsgValue::AsBool() const {
  if (const bool* b = std::get_if<bool>(&storage_)) return *b;
  return std::nullopt;
}

std::optional<int64_t> MsgValue::AsInt() const {
  if (const int64_t* i = std::get_if<int64_t>(&storage_)) return *i;
  return std::nullopt;
}

std::optional<uint64_t> MsgValue::AsUint() const {
  if (const int64_t* i = std::get_if<int64_t>(&storage_)) {
    if (*i >= 0) return static_cast<uint64_t>(*i);
    return std::nullopt;
  }
  if (const uint64_t* u = std::get_if<uint64_t>(&storage_)) return *u;
  return std::nullopt;
}

std::optional<double> MsgValue::AsDouble() const {
  if (const double* d = std::get_if<double>(&storage_)) return *d;
  if (const int64_t* i = std::get_if<int64_t>(&storage_)) return static_cast<double>(*i);
  if (const uint64_t* u = std::get_if<uint64_t>(&storage_)) return static_cast<double>(*u);
  return std::nullopt;
}

const std::string* MsgValue::AsString() const { return std::get_if<std::string>(&storage_); }
std::string* MsgValue::AsMutableString() { return std::get_if<std::string>(&storage_); }

const std::string* MsgValue::AsBinary() const {
  const MsgBinary* b = std::get_if<MsgBinary>(&storage_);
  return b ? &b->bytes : nullptr;
}

const MsgArray* MsgValue::AsArray() const { return std::get_if<MsgArray>(&storage_); }
MsgArray* MsgValue::AsMutableArray() { return std::get_if<MsgArray>(&storage_); }
const MsgMap* MsgValue::AsMap() const { return std::get_if<MsgMap>(&storage_); }
MsgMap* MsgValue::AsMutableMap() { return std::get_if<MsgMap>(&storage_); }

namespace {
Status WrongType(std::string_view what, std::string_view expected, const MsgValue& actual) {
  return MakeError(ErrorCode::kCorruptMetadata, "expected ", what, " to be ", expected,
                   " but found ", actual.TypeName());
}
}  // namespace

Result<bool> MsgValue::GetBool(std::string_view what) const {
  if (auto b = AsBool()) return *b;
  return WrongType(what, "a bool", *this);
}

Result<int64_t> MsgValue::GetInt(std::string_view what) const {
  if (auto i = AsInt()) return *i;
  if (IsInteger()) {
    return MakeError(ErrorCode::kCorruptMetadata, "expected ", what,
                     " to fit a signed 64-bit integer but found ", *AsUint());
  }
  return WrongType(what, "an int", *this);
}

Result<uint64_t> MsgValue::GetUint(std::string_view what) const {
  if (auto u = AsUint()) return *u;
  if (IsInteger()) {
    return MakeError(ErrorCode::kCorruptMetadata, "expected ", what,
                     " to be non-negative but found ", *AsInt());
  }
  return WrongType(what, "an int", *this);
}

Result<double> MsgValue::GetDouble(std::string_view what) const {
  if (auto d = AsDouble()) return *d;
  return WrongType(what, "a float", *this);
}

Result<std::string> MsgValue::GetString(std::string_view what) const {
  if (const std::string* s = AsString()) return *s;
  return WrongType(what, "a str", *this);
}

Result<std::string> MsgValue::GetBinary(std::string_view what) const {
  if (const std::string* b = AsBinary()) return *b;
  return WrongType(what, "bin", *this);
}

const MsgValue* MsgValue::Find(std::string_view key) const {
  const MsgMap* map = AsMap();
  if (map == nullptr) return nullptr;
  for (const auto& [k, v] : *map) {
    if (k == key) return &v;
  }
  return nullptr;
}

MsgValue* MsgValue::FindMutable(std::string_view key) {
  MsgMap* map = AsMutableMap();
  if (map == nullptr) return nullptr;
  for (auto& [k, v] : *map) {
    if (k == key) return &v;
  }
  return nullptr;
}

void MsgValue::Set(std::string_view key, MsgValue value) {
  if (!IsMap()) storage_ = MsgMap{};
  if (MsgValue* existing = FindMutable(key)) {
    *existing = std::move(value);
    return;
  }
  AsMutableMap()->emplace_back(std::string(key), std::move(value));
}

bool MsgValue::Erase(std::string_view key) {
  MsgMap* map = AsMutableMap();
  if (map == nullptr) return false;
  for (auto it = map->begin(); it != map->end(); ++it) {
    if (it->first == key) {
      map->erase(it);
      return true;
    }
  }
  return false;
}

size_t MsgValue::size() const {
  if (const MsgArray* a = AsArray()) return a->size();
  if (const MsgMap* m = AsMap()) return m->size();
  return 0;
}

bool MsgValue::operator==(const MsgValue& other) const {
  if (type() != other.type()) return false;
  switch (type()) {
    case Type::kNil: return true;
    case Type::kBool: return *AsBool() == *other.AsBool();
    case Type::kInt: return *AsInt() == *other.AsInt();
    case Type::kUint: return *AsUint() == *other.AsUint();
    case Type::kDouble: {
      double a = std::get<double>(storage_);
      double b = std::get<double>(other.storage_);
      return a == b || (std::isnan(a) && std::isnan(b));
    }
    case Type::kString: return *AsString() == *other.AsString();
    case Type::kBinary: return *AsBinary() == *other.AsBinary();
    case Type::kArray: return *AsArray() == *other.AsArray();
    case Type::kMap: {
      const MsgMap& a = *AsMap();
      const MsgMap& b = *other.AsMap();
      if (a.size() != b.size()) return false;
      size_t i = 0;
      // Fast path: the same keys in the same order.
      for (; i < a.size() && a[i].first == b[i].first; ++i) {
        if (!(a[i].second == b[i].second)) return false;
      }
      if (i == a.size()) return true;
      std::unordered_map<std::string_view, const MsgValue*> by_key;
      for (const auto& [key, value] : b) by_key.emplace(key, &value);
      for (; i < a.size(); ++i) {
        auto it = by_key.find(a[i].first);
        if (it == by_key.end() || !(a[i].second == *it->second)) return false;
      }
      // Keys before `i` matched positionally; the rest matched by lookup, and the sizes agree.
      return true;
    }
  }
  return false;
}

// --- Decoding ------------------------------------------------------------------------------

namespace {

// Strict UTF-8 as CPython's decoder checks it: no overlong forms, no surrogates, <= U+10FFFF.
bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (n - i < len) return false;
    if (p[i + 1] < lo || p[i + 1] > hi) return false;
    for (size_t k = 2; k < len; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

class Decoder {
 public:
  explicit Decoder(std::string_view data) : data_(data) {}

  Result<MsgValue> DecodeAll() {
    MsgValue value;
    DC_RETURN_NOT_OK(Read(&value, 0));
    if (pos_ != data_.size()) {
      return Error("unexpected ", data_.size() - pos_, " trailing bytes after the object");
    }
    return value;
  }

 private:
  template <typename... Args>
  Status Error(Args&&... args) const {
    return MakeError(ErrorCode::kCorruptMetadata, "invalid msgpack at byte ", pos_, ": ",
                     std::forward<Args>(args)...);
  }

  size_t Remaining() const { return data_.size() - pos_; }

  Status Need(size_t n, std::string_view what) const {
    if (Remaining() < n) {
      return Error("truncated input: ", what, " needs ", n, " bytes but only ", Remaining(),
                   " remain");
    }
    return Status::OK();
  }

  template <typename T>
  Result<T> ReadBigEndian(std::string_view what) {
    DC_RETURN_NOT_OK(Need(sizeof(T), what));
    T value = 0;
    for (size_t i = 0; i < sizeof(T); ++i) {
      value = static_cast<T>((value << 8) | static_cast<unsigned char>(data_[pos_ + i]));
    }
    pos_ += sizeof(T);
    return value;
  }

  Result<std::string_view> ReadBytes(uint64_t n, std::string_view what) {
    if (n > Remaining()) {
      return Error("truncated input: ", what, " declares ", n, " bytes but only ", Remaining(),
                   " remain");
    }
    std::string_view out = data_.substr(pos_, n);
    pos_ += n;
    return out;
  }

  Status ReadString(uint64_t n, MsgValue* out) {
    size_t start = pos_;
    DC_ASSIGN_OR_RAISE(std::string_view bytes, ReadBytes(n, "str"));
    if (!IsValidUtf8(bytes)) {
      pos_ = start;
      return Error("str is not valid UTF-8");
    }
    *out = MsgValue::String(std::string(bytes));
    return Status::OK();
  }

  Status ReadBinary(uint64_t n, MsgValue* out) {
    DC_ASSIGN_OR_RAISE(std::string_view bytes, ReadBytes(n, "bin"));
    *out = MsgValue::Binary(std::string(bytes));
    return Status::OK();
  }

  Status ReadArray(uint64_t n, MsgValue* out, int depth) {
    // Every element takes at least one byte: reject impossible counts before allocating.
    if (n > Remaining()) {
      return Error("array declares ", n, " items but only ", Remaining(), " bytes remain");
    }
    MsgArray items;
    items.reserve(n);
    for (uint64_t i = 0; i < n; ++i) {
      DC_RETURN_NOT_OK(Read(&items.emplace_back(), depth + 1));
    }
    *out = MsgValue::Array(std::move(items));
    return Status::OK();
  }

  Status ReadMap(uint64_t n, MsgValue* out, int depth) {
    if (n > Remaining() / 2) {
      return Error("map declares ", n, " entries but only ", Remaining(), " bytes remain");
    }
    MsgMap entries;
    // Reserved up front: entries never move, so the index below can point into them.
    entries.reserve(n);
    std::unordered_map<std::string_view, size_t> index;
    for (uint64_t i = 0; i < n; ++i) {
      size_t key_pos = pos_;
      MsgValue key;
      DC_RETURN_NOT_OK(Read(&key, depth + 1));
      if (!key.IsString()) {
        pos_ = key_pos;
        return Error("map key is ", key.TypeName(), ", but only str keys are allowed");
      }
      MsgValue value;
      DC_RETURN_NOT_OK(Read(&value, depth + 1));
      // Like a Python dict built key by key: a repeated key keeps its first position and its
      // last value.
      std::string name = std::move(*key.AsMutableString());
      if (auto it = index.find(name); it != index.end()) {
        entries[it->second].second = std::move(value);
        continue;
      }
      entries.emplace_back(std::move(name), std::move(value));
      index.emplace(entries.back().first, entries.size() - 1);
    }
    *out = MsgValue::Map(std::move(entries));
    return Status::OK();
  }

  Status Read(MsgValue* out, int depth) {
    if (depth > kMaxMsgpackDepth) {
      return Error("nesting deeper than ", kMaxMsgpackDepth, " levels");
    }
    DC_RETURN_NOT_OK(Need(1, "a value"));
    const auto tag = static_cast<unsigned char>(data_[pos_]);
    ++pos_;
    if (tag <= 0x7f) {
      *out = MsgValue::Int(tag);
      return Status::OK();
    }
    if (tag >= 0xe0) {
      *out = MsgValue::Int(static_cast<int8_t>(tag));
      return Status::OK();
    }
    if ((tag & 0xe0) == 0xa0) return ReadString(tag & 0x1f, out);
    if ((tag & 0xf0) == 0x90) return ReadArray(tag & 0x0f, out, depth);
    if ((tag & 0xf0) == 0x80) return ReadMap(tag & 0x0f, out, depth);
    switch (tag) {
      case 0xc0: *out = MsgValue::Nil(); return Status::OK();
      case 0xc2: *out = MsgValue::Bool(false); return Status::OK();
      case 0xc3: *out = MsgValue::Bool(true); return Status::OK();
      case 0xc4: {
        DC_ASSIGN_OR_RAISE(auto n, ReadBigEndian<uint8_t>("bin8 length"));
        return ReadBinary(n, out);
      }
      case 0xc5: {
        DC_ASSIGN_OR_RAISE(auto n, ReadBigEndian<uint16_t>("bin16 length"));
        return ReadBinary(n, out);
      }
      case 0xc6: {
        DC_ASSIGN_OR_RAISE(auto n, ReadBigEndian<uint32_t>("bin32 length"));
        return ReadBinary(n, out);
      }
      case 0xca: {
        DC_ASSIGN_OR_RAISE(auto bits, ReadBigEndian<uint32_t>("float32"));
        *out = MsgValue::Double(static_cast<double>(std::bit_cast<float>(bits)));
        return Status::OK();
      }
      case 0xcb: {
        DC_ASSIGN_OR_RAISE(auto bits, ReadBigEndian<uint64_t>("float64"));
        *out = MsgValue::Double(std::bit_cast<double>(bits));
        return Status::OK();
      }
      case 0xcc: {
        DC_ASSIGN_OR_RAISE(auto v, ReadBigEndian<uint8_t>("uint8"));
        *out = MsgValue::Uint(v);
        return Status::OK();
      }
      case 0xcd: {
        DC_ASSIGN_OR_RAISE(auto v, ReadBigEndian<uint16_t>("uint16"));
        *out = MsgValue::Uint(v);
        return Status::OK();
      }
      case 0xce: {
        DC_ASSIGN_OR_RAISE(auto v, ReadBigEndian<uint32_t>("uint32"));
        *out = MsgValue::Uint(v);
        return Status::OK();
      }
      case 0xcf: {
        DC_ASSIGN_OR_RAISE(auto v, ReadBigEndian<uint64_t>("uint64"));
        *out = MsgValue::Uint(v);
        return Status::OK();
      }
      case 0xd0: {
        DC_ASSIGN_OR_RAISE(auto v, ReadBigEndian<uint8_t>("int8"));
        *out = MsgValue::Int(static_cast<int8_t>(v));
        return Status::OK();
      }
      case 0xd1: {
        DC_ASSIGN_OR_RAISE(auto v, ReadBigEndian<uint16_t>("int16"));
        *out = MsgValue::Int(static_cast<int16_t>(v));
        return Status::OK();
      }
      case 0xd2: {
        DC_ASSIGN_OR_RAISE(auto v, ReadBigEndian<uint32_t>("int32"));
        *out = MsgValue::Int(static_cast<int32_t>(v));
        return Status::OK();
      }
      case 0xd3: {
        DC_ASSIGN_OR_RAISE(auto v, ReadBigEndian<uint64_t>("int64"));
        *out = MsgValue::Int(static_cast<int64_t>(v));
        return Status::OK();
      }
      case 0xd9: {
        DC_ASSIGN_OR_RAISE(auto n, ReadBigEndian<uint8_t>("str8 length"));
        return ReadString(n, out);
      }
      case 0xda: {
        DC_ASSIGN_OR_RAISE(auto n, ReadBigEndian<uint16_t>("str16 length"));
        return ReadString(n, out);
      }
      case 0xdb: {
        DC_ASSIGN_OR_RAISE(auto n, ReadBigEndian<uint32_t>("str32 length"));
        return ReadString(n, out);
      }
      case 0xdc: {
        DC_ASSIGN_OR_RAISE(auto n, ReadBigEndian<uint16_t>("array16 length"));
        return ReadArray(n, out, depth);
      }
      case 0xdd: {
        DC_ASSIGN_OR_RAISE(auto n, ReadBigEndian<uint32_t>("array32 length"));
        return ReadArray(n, out, depth);
      }
      case 0xde: {
        DC_ASSIGN_OR_RAISE(auto n, ReadBigEndian<uint16_t>("map16 length"));
        return ReadMap(n, out, depth);
      }
      case 0xdf: {
        DC_ASSIGN_OR_RAISE(auto n, ReadBigEndian<uint32_t>("map32 length"));
        return ReadMap(n, out, depth);
      }
      case 0xc7:
      case 0xc8:
      case 0xc9:
      case 0xd4:
      case 0xd5:
      case 0xd6:
      case 0xd7:
      case 0xd8:
        --pos_;
        return Error("ext types are not part of the DeltaCAT format (tag 0x",
                     "0123456789abcdef"[tag >> 4], "0123456789abcdef"[tag & 0xf], ")");
      default: --pos_; return Error("reserved tag 0xc1");
    }
  }

  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace

Result<MsgValue> DecodeMsgpack(std::string_view bytes) {
  if (bytes.empty()) {
    return MakeError(ErrorCode::kCorruptMetadata, "invalid msgpack: empty input");
  }
  return Decoder(bytes).DecodeAll();
}

// --- Encoding ------------------------------------------------------------------------------

namespace {

class Encoder {
 public:
  explicit Encoder(std::string* out) : out_(out) {}

  void Write(const MsgValue& value) {
    switch (value.type()) {
      case MsgValue::Type::kNil: Byte(0xc0); return;
      case MsgValue::Type::kBool: Byte(*value.AsBool() ? 0xc3 : 0xc2); return;
      case MsgValue::Type::kInt: {
        int64_t v = *value.AsInt();
        if (v >= 0) {
          WriteUnsigned(static_cast<uint64_t>(v));
        } else {
          WriteNegative(v);
        }
        return;
      }
      case MsgValue::Type::kUint: WriteUnsigned(*value.AsUint()); return;
      case MsgValue::Type::kDouble:
        Byte(0xcb);
        BigEndian(std::bit_cast<uint64_t>(*value.AsDouble()), 8);
        return;
      case MsgValue::Type::kString: WriteString(*value.AsString()); return;
      case MsgValue::Type::kBinary: {
        const std::string& b = *value.AsBinary();
        SizedHeader(b.size(), 0xc4, 0xc5, 0xc6);
        out_->append(b);
        return;
      }
      case MsgValue::Type::kArray: {
        const MsgArray& items = *value.AsArray();
        if (items.size() <= 15) {
          Byte(0x90 | static_cast<uint8_t>(items.size()));
        } else {
          SizedHeader(items.size(), 0, 0xdc, 0xdd);
        }
        for (const MsgValue& item : items) Write(item);
        return;
      }
      case MsgValue::Type::kMap: {
        const MsgMap& entries = *value.AsMap();
        if (entries.size() <= 15) {
          Byte(0x80 | static_cast<uint8_t>(entries.size()));
        } else {
          SizedHeader(entries.size(), 0, 0xde, 0xdf);
        }
        for (const auto& [key, item] : entries) {
          WriteString(key);
          Write(item);
        }
        return;
      }
    }
  }

 private:
  void Byte(uint8_t b) { out_->push_back(static_cast<char>(b)); }

  void WriteString(std::string_view s) {
    if (s.size() <= 31) {
      Byte(0xa0 | static_cast<uint8_t>(s.size()));
    } else {
      SizedHeader(s.size(), 0xd9, 0xda, 0xdb);
    }
    out_->append(s);
  }

  void BigEndian(uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) Byte(static_cast<uint8_t>(v >> (8 * i)));
  }

  // 8/16/32-bit length header; tag8 == 0 means the family has no 8-bit form (arrays, maps).
  void SizedHeader(size_t n, uint8_t tag8, uint8_t tag16, uint8_t tag32) {
    if (tag8 != 0 && n <= 0xff) {
      Byte(tag8);
      BigEndian(n, 1);
    } else if (n <= 0xffff) {
      Byte(tag16);
      BigEndian(n, 2);
    } else {
      Byte(tag32);
      BigEndian(n, 4);
    }
  }

  void WriteUnsigned(uint64_t v) {
    if (v <= 0x7f) {
      Byte(static_cast<uint8_t>(v));
    } else if (v <= 0xff) {
      Byte(0xcc);
      BigEndian(v, 1);
    } else if (v <= 0xffff) {
      Byte(0xcd);
      BigEndian(v, 2);
    } else if (v <= 0xffffffffULL) {
      Byte(0xce);
      BigEndian(v, 4);
    } else {
      Byte(0xcf);
      BigEndian(v, 8);
    }
  }

  void WriteNegative(int64_t v) {
    const auto bits = static_cast<uint64_t>(v);
    if (v >= -32) {
      Byte(static_cast<uint8_t>(bits));
    } else if (v >= -128) {
      Byte(0xd0);
      BigEndian(bits, 1);
    } else if (v >= -32768) {
      Byte(0xd1);
      BigEndian(bits, 2);
    } else if (v >= std::numeric_limits<int32_t>::min()) {
      Byte(0xd2);
      BigEndian(bits, 4);
    } else {
      Byte(0xd3);
      BigEndian(bits, 8);
    }
  }

  std::string* out_;
};

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          constexpr char kHex[] = "0123456789abcdef";
          out->append("\\u00");
          out->push_back(kHex[(c >> 4) & 0xf]);
          out->push_back(kHex[c & 0xf]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

void AppendJson(const MsgValue& value, std::string* out) {
  switch (value.type()) {
    case MsgValue::Type::kNil: out->append("null"); return;
    case MsgValue::Type::kBool: out->append(*value.AsBool() ? "true" : "false"); return;
    case MsgValue::Type::kInt: out->append(std::to_string(*value.AsInt())); return;
    case MsgValue::Type::kUint: out->append(std::to_string(*value.AsUint())); return;
    case MsgValue::Type::kDouble: {
      double d = *value.AsDouble();
      if (!std::isfinite(d)) {
        AppendJsonString(std::isnan(d) ? "NaN" : (d > 0 ? "Infinity" : "-Infinity"), out);
        return;
      }
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d);
      std::string_view text(buf, end - buf);
      out->append(text);
      // Keep it recognisably a float, as Python's json module does ("1.0", not "1").
      if (text.find_first_of(".eE") == std::string_view::npos) out->append(".0");
      return;
    }
    case MsgValue::Type::kString: AppendJsonString(*value.AsString(), out); return;
    case MsgValue::Type::kBinary:
      AppendJsonString("b64:" + Base64Encode(*value.AsBinary()), out);
      return;
    case MsgValue::Type::kArray: {
      out->push_back('[');
      bool first = true;
      for (const MsgValue& item : *value.AsArray()) {
        if (!first) out->append(", ");
        first = false;
        AppendJson(item, out);
      }
      out->push_back(']');
      return;
    }
    case MsgValue::Type::kMap: {
      out->push_back('{');
      bool first = true;
      for (const auto& [key, item] : *value.AsMap()) {
        if (!first) out->append(", ");
        first = false;
        AppendJsonString(key, out);
        out->append(": ");
        AppendJson(item, out);
      }
      out->push_back('}');
      return;
    }
  }
}

}  // namespace

std::string EncodeMsgpack(const MsgValue& value) {
  std::string out;
  Encoder(&out).Write(value);
  return out;
}

std::string ToJsonForDebug(const MsgValue& value) {
  std::string out;
  AppendJson(value, &out);
  return out;
}

}  // namespace deltacat::storage
