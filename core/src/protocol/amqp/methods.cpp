#include "protocol/amqp/methods.hpp"

#include <algorithm>
#include <array>
#include <concepts>
#include <string>
#include <type_traits>
#include <utility>

#include "protocol/amqp/wire.hpp"

namespace postwire::amqp {

namespace {

// Writes method arguments. Consecutive bits share an octet, least significant bit first
// (spec section 4.2.5.2); any other field ends the run.
class Encoder {
 public:
  explicit Encoder(std::vector<std::uint8_t>& out) noexcept : out_(out) {}

  void octet(const std::uint8_t& v, std::string_view /*what*/) {
    flush_bits();
    wire::put_u8(out_, v);
  }
  void short_(const std::uint16_t& v, std::string_view /*what*/) {
    flush_bits();
    wire::put_u16(out_, v);
  }
  void long_(const std::uint32_t& v, std::string_view /*what*/) {
    flush_bits();
    wire::put_u32(out_, v);
  }
  void longlong(const std::uint64_t& v, std::string_view /*what*/) {
    flush_bits();
    wire::put_u64(out_, v);
  }
  void shortstr(const std::string& v, std::string_view what) {
    flush_bits();
    wire::put_shortstr(out_, v, what);
  }
  void longstr(const std::string& v, std::string_view what) {
    flush_bits();
    wire::put_longstr(out_, v, what);
  }
  void table(const FieldTable& v, std::string_view /*what*/) {
    flush_bits();
    append_field_table(out_, v);
  }
  void bit(const bool& v, std::string_view /*what*/) {
    if (bit_count_ == 8) {
      flush_bits();
    }
    if (v) {
      bits_ = static_cast<std::uint8_t>(bits_ | (1U << bit_count_));
    }
    ++bit_count_;
  }
  void reserved_short() { short_(0, {}); }
  void reserved_shortstr() { shortstr({}, {}); }
  void reserved_longstr() { longstr({}, {}); }
  void reserved_bit() { bit(false, {}); }
  void finish() { flush_bits(); }

 private:
  void flush_bits() {
    if (bit_count_ != 0) {
      out_.push_back(bits_);
      bits_ = 0;
      bit_count_ = 0;
    }
  }

  std::vector<std::uint8_t>& out_;
  std::uint8_t bits_ = 0;
  unsigned bit_count_ = 0;
};

// Reads method arguments, mirroring Encoder.
class Decoder {
 public:
  explicit Decoder(wire::Reader& in) noexcept : in_(in) {}

  void octet(std::uint8_t& v, std::string_view what) {
    bit_count_ = 0;
    v = in_.u8(what);
  }
  void short_(std::uint16_t& v, std::string_view what) {
    bit_count_ = 0;
    v = in_.u16(what);
  }
  void long_(std::uint32_t& v, std::string_view what) {
    bit_count_ = 0;
    v = in_.u32(what);
  }
  void longlong(std::uint64_t& v, std::string_view what) {
    bit_count_ = 0;
    v = in_.u64(what);
  }
  void shortstr(std::string& v, std::string_view what) {
    bit_count_ = 0;
    v = in_.shortstr(what);
  }
  void longstr(std::string& v, std::string_view what) {
    bit_count_ = 0;
    v = in_.longstr(what);
  }
  void table(FieldTable& v, std::string_view /*what*/) {
    bit_count_ = 0;
    v = wire::read_field_table(in_);
  }
  void bit(bool& v, std::string_view what) {
    if (bit_count_ == 0 || bit_count_ == 8) {
      bits_ = in_.u8(what);
      bit_count_ = 0;
    }
    v = ((static_cast<unsigned>(bits_) >> static_cast<unsigned>(bit_count_)) & 1U) != 0;
    ++bit_count_;
  }
  void reserved_short() {
    bit_count_ = 0;
    in_.u16("reserved-1");
  }
  void reserved_shortstr() {
    bit_count_ = 0;
    in_.skip_shortstr("reserved-1");
  }
  void reserved_longstr() {
    bit_count_ = 0;
    in_.skip_longstr("reserved-1");
  }
  void reserved_bit() {
    bool ignored = false;
    bit(ignored, "reserved-2");
  }
  void finish() { in_.expect_end(); }

 private:
  wire::Reader& in_;
  std::uint8_t bits_ = 0;
  unsigned bit_count_ = 0;
};

// fields(io, m) lists a method's arguments in wire order, for Encoder (m const) and Decoder
// alike. Transcribed from amqp0-9-1.stripped.extended.xml.
template <typename M, typename T>
concept Is = std::same_as<std::remove_const_t<M>, T>;

// Methods without arguments.
template <typename Io, typename M>
requires(Is<M, ConnectionCloseOk> || Is<M, ConnectionUnblocked> ||
         Is<M, ConnectionUpdateSecretOk> || Is<M, ChannelCloseOk> || Is<M, ExchangeDeclareOk> ||
         Is<M, ExchangeDeleteOk> || Is<M, ExchangeBindOk> || Is<M, ExchangeUnbindOk> ||
         Is<M, QueueBindOk> || Is<M, QueueUnbindOk> || Is<M, BasicQosOk> || Is<M, BasicRecoverOk> ||
         Is<M, ConfirmSelectOk>) void fields(Io& /*io*/, M& /*m*/) {}

// --- connection ---
template <typename Io, Is<ConnectionStart> M>
void fields(Io& io, M& m) {
  io.octet(m.version_major, "version-major");
  io.octet(m.version_minor, "version-minor");
  io.table(m.server_properties, "server-properties");
  io.longstr(m.mechanisms, "mechanisms");
  io.longstr(m.locales, "locales");
}
template <typename Io, Is<ConnectionStartOk> M>
void fields(Io& io, M& m) {
  io.table(m.client_properties, "client-properties");
  io.shortstr(m.mechanism, "mechanism");
  io.longstr(m.response, "response");
  io.shortstr(m.locale, "locale");
}
template <typename Io, Is<ConnectionSecure> M>
void fields(Io& io, M& m) {
  io.longstr(m.challenge, "challenge");
}
template <typename Io, Is<ConnectionSecureOk> M>
void fields(Io& io, M& m) {
  io.longstr(m.response, "response");
}
template <typename Io, typename M>
requires(Is<M, ConnectionTune> || Is<M, ConnectionTuneOk>) void fields(Io& io, M& m) {
  io.short_(m.channel_max, "channel-max");
  io.long_(m.frame_max, "frame-max");
  io.short_(m.heartbeat, "heartbeat");
}
template <typename Io, Is<ConnectionOpen> M>
void fields(Io& io, M& m) {
  io.shortstr(m.virtual_host, "virtual-host");
  io.reserved_shortstr();
  io.reserved_bit();
}
template <typename Io, typename M>
requires(Is<M, ConnectionOpenOk> || Is<M, ChannelOpen> ||
         Is<M, BasicGetEmpty>) void fields(Io& io, M& /*m*/) {
  io.reserved_shortstr();
}
template <typename Io, typename M>
requires(Is<M, ConnectionClose> || Is<M, ChannelClose>) void fields(Io& io, M& m) {
  io.short_(m.reply_code, "reply-code");
  io.shortstr(m.reply_text, "reply-text");
  io.short_(m.class_id, "class-id");
  io.short_(m.method_id, "method-id");
}
template <typename Io, Is<ConnectionBlocked> M>
void fields(Io& io, M& m) {
  io.shortstr(m.reason, "reason");
}
template <typename Io, Is<ConnectionUpdateSecret> M>
void fields(Io& io, M& m) {
  io.longstr(m.new_secret, "new-secret");
  io.shortstr(m.reason, "reason");
}

// --- channel ---
template <typename Io, Is<ChannelOpenOk> M>
void fields(Io& io, M& /*m*/) {
  io.reserved_longstr();
}
template <typename Io, typename M>
requires(Is<M, ChannelFlow> || Is<M, ChannelFlowOk>) void fields(Io& io, M& m) {
  io.bit(m.active, "active");
}

// --- exchange ---
template <typename Io, Is<ExchangeDeclare> M>
void fields(Io& io, M& m) {
  io.reserved_short();
  io.shortstr(m.exchange, "exchange");
  io.shortstr(m.type, "type");
  io.bit(m.passive, "passive");
  io.bit(m.durable, "durable");
  io.bit(m.auto_delete, "auto-delete");
  io.bit(m.internal, "internal");
  io.bit(m.no_wait, "no-wait");
  io.table(m.arguments, "arguments");
}
template <typename Io, Is<ExchangeDelete> M>
void fields(Io& io, M& m) {
  io.reserved_short();
  io.shortstr(m.exchange, "exchange");
  io.bit(m.if_unused, "if-unused");
  io.bit(m.no_wait, "no-wait");
}
template <typename Io, typename M>
requires(Is<M, ExchangeBind> || Is<M, ExchangeUnbind>) void fields(Io& io, M& m) {
  io.reserved_short();
  io.shortstr(m.destination, "destination");
  io.shortstr(m.source, "source");
  io.shortstr(m.routing_key, "routing-key");
  io.bit(m.no_wait, "no-wait");
  io.table(m.arguments, "arguments");
}

// --- queue ---
template <typename Io, Is<QueueDeclare> M>
void fields(Io& io, M& m) {
  io.reserved_short();
  io.shortstr(m.queue, "queue");
  io.bit(m.passive, "passive");
  io.bit(m.durable, "durable");
  io.bit(m.exclusive, "exclusive");
  io.bit(m.auto_delete, "auto-delete");
  io.bit(m.no_wait, "no-wait");
  io.table(m.arguments, "arguments");
}
template <typename Io, Is<QueueDeclareOk> M>
void fields(Io& io, M& m) {
  io.shortstr(m.queue, "queue");
  io.long_(m.message_count, "message-count");
  io.long_(m.consumer_count, "consumer-count");
}
template <typename Io, Is<QueueBind> M>
void fields(Io& io, M& m) {
  io.reserved_short();
  io.shortstr(m.queue, "queue");
  io.shortstr(m.exchange, "exchange");
  io.shortstr(m.routing_key, "routing-key");
  io.bit(m.no_wait, "no-wait");
  io.table(m.arguments, "arguments");
}
template <typename Io, Is<QueuePurge> M>
void fields(Io& io, M& m) {
  io.reserved_short();
  io.shortstr(m.queue, "queue");
  io.bit(m.no_wait, "no-wait");
}
template <typename Io, typename M>
requires(Is<M, QueuePurgeOk> || Is<M, QueueDeleteOk>) void fields(Io& io, M& m) {
  io.long_(m.message_count, "message-count");
}
template <typename Io, Is<QueueDelete> M>
void fields(Io& io, M& m) {
  io.reserved_short();
  io.shortstr(m.queue, "queue");
  io.bit(m.if_unused, "if-unused");
  io.bit(m.if_empty, "if-empty");
  io.bit(m.no_wait, "no-wait");
}
template <typename Io, Is<QueueUnbind> M>
void fields(Io& io, M& m) {
  io.reserved_short();
  io.shortstr(m.queue, "queue");
  io.shortstr(m.exchange, "exchange");
  io.shortstr(m.routing_key, "routing-key");
  io.table(m.arguments, "arguments");
}

// --- basic ---
template <typename Io, Is<BasicQos> M>
void fields(Io& io, M& m) {
  io.long_(m.prefetch_size, "prefetch-size");
  io.short_(m.prefetch_count, "prefetch-count");
  io.bit(m.global, "global");
}
template <typename Io, Is<BasicConsume> M>
void fields(Io& io, M& m) {
  io.reserved_short();
  io.shortstr(m.queue, "queue");
  io.shortstr(m.consumer_tag, "consumer-tag");
  io.bit(m.no_local, "no-local");
  io.bit(m.no_ack, "no-ack");
  io.bit(m.exclusive, "exclusive");
  io.bit(m.no_wait, "no-wait");
  io.table(m.arguments, "arguments");
}
template <typename Io, typename M>
requires(Is<M, BasicConsumeOk> || Is<M, BasicCancelOk>) void fields(Io& io, M& m) {
  io.shortstr(m.consumer_tag, "consumer-tag");
}
template <typename Io, Is<BasicCancel> M>
void fields(Io& io, M& m) {
  io.shortstr(m.consumer_tag, "consumer-tag");
  io.bit(m.no_wait, "no-wait");
}
template <typename Io, Is<BasicPublish> M>
void fields(Io& io, M& m) {
  io.reserved_short();
  io.shortstr(m.exchange, "exchange");
  io.shortstr(m.routing_key, "routing-key");
  io.bit(m.mandatory, "mandatory");
  io.bit(m.immediate, "immediate");
}
template <typename Io, Is<BasicReturn> M>
void fields(Io& io, M& m) {
  io.short_(m.reply_code, "reply-code");
  io.shortstr(m.reply_text, "reply-text");
  io.shortstr(m.exchange, "exchange");
  io.shortstr(m.routing_key, "routing-key");
}
template <typename Io, Is<BasicDeliver> M>
void fields(Io& io, M& m) {
  io.shortstr(m.consumer_tag, "consumer-tag");
  io.longlong(m.delivery_tag, "delivery-tag");
  io.bit(m.redelivered, "redelivered");
  io.shortstr(m.exchange, "exchange");
  io.shortstr(m.routing_key, "routing-key");
}
template <typename Io, Is<BasicGet> M>
void fields(Io& io, M& m) {
  io.reserved_short();
  io.shortstr(m.queue, "queue");
  io.bit(m.no_ack, "no-ack");
}
template <typename Io, Is<BasicGetOk> M>
void fields(Io& io, M& m) {
  io.longlong(m.delivery_tag, "delivery-tag");
  io.bit(m.redelivered, "redelivered");
  io.shortstr(m.exchange, "exchange");
  io.shortstr(m.routing_key, "routing-key");
  io.long_(m.message_count, "message-count");
}
template <typename Io, Is<BasicAck> M>
void fields(Io& io, M& m) {
  io.longlong(m.delivery_tag, "delivery-tag");
  io.bit(m.multiple, "multiple");
}
template <typename Io, Is<BasicReject> M>
void fields(Io& io, M& m) {
  io.longlong(m.delivery_tag, "delivery-tag");
  io.bit(m.requeue, "requeue");
}
template <typename Io, typename M>
requires(Is<M, BasicRecoverAsync> || Is<M, BasicRecover>) void fields(Io& io, M& m) {
  io.bit(m.requeue, "requeue");
}
template <typename Io, Is<BasicNack> M>
void fields(Io& io, M& m) {
  io.longlong(m.delivery_tag, "delivery-tag");
  io.bit(m.multiple, "multiple");
  io.bit(m.requeue, "requeue");
}

// --- confirm ---
template <typename Io, Is<ConfirmSelect> M>
void fields(Io& io, M& m) {
  io.bit(m.no_wait, "nowait");
}

constexpr std::uint32_t method_key(std::uint16_t class_id, std::uint16_t method_id) {
  return (std::uint32_t{class_id} << 16U) | method_id;
}

template <typename T>
Method decode_as(std::span<const std::uint8_t> arguments) {
  wire::Reader in(arguments, T::info.name);
  Decoder decoder(in);
  T m;
  fields(decoder, m);
  decoder.finish();
  return m;
}

using DecodeFn = Method (*)(std::span<const std::uint8_t>);
struct DecodeEntry {
  std::uint32_t key;
  DecodeFn decode;
};

template <std::size_t... I>
constexpr auto make_decode_table(std::index_sequence<I...> /*indices*/) {
  std::array<DecodeEntry, sizeof...(I)> table{
      DecodeEntry{method_key(std::variant_alternative_t<I, Method>::info.class_id,
                             std::variant_alternative_t<I, Method>::info.method_id),
                  &decode_as<std::variant_alternative_t<I, Method>>}...};
  std::sort(table.begin(), table.end(),
            [](const DecodeEntry& a, const DecodeEntry& b) { return a.key < b.key; });
  return table;
}

// Sorted by (class id, method id) for a binary search.
constexpr auto decode_table =
    make_decode_table(std::make_index_sequence<std::variant_size_v<Method>>{});

constexpr bool keys_unique() {
  for (std::size_t i = 1; i < decode_table.size(); ++i) {
    if (decode_table[i - 1].key == decode_table[i].key) {
      return false;
    }
  }
  return true;
}
static_assert(keys_unique(), "two methods share a class and method id");

template <std::size_t... I>
constexpr auto make_info_table(std::index_sequence<I...> /*indices*/) {
  return std::array<const MethodInfo*, sizeof...(I)>{
      &std::variant_alternative_t<I, Method>::info...};
}

// MethodInfo by the variant's index.
constexpr auto info_table =
    make_info_table(std::make_index_sequence<std::variant_size_v<Method>>{});

}  // namespace

Method decode_method(std::span<const std::uint8_t> payload) {
  if (payload.size() < 4) {
    wire::fail("method frame payload of " + std::to_string(payload.size()) +
               " bytes is shorter than its 4-byte class and method ids");
  }
  const std::uint16_t class_id = wire::load_u16(payload.data());
  const std::uint16_t method_id = wire::load_u16(payload.data() + 2);
  const std::uint32_t key = method_key(class_id, method_id);
  const auto* entry =
      std::lower_bound(decode_table.begin(), decode_table.end(), key,
                       [](const DecodeEntry& e, std::uint32_t k) { return e.key < k; });
  if (entry == decode_table.end() || entry->key != key) {
    wire::fail("unknown method: class id " + std::to_string(class_id) + ", method id " +
               std::to_string(method_id));
  }
  return entry->decode(payload.subspan(4));
}

void append_method(std::vector<std::uint8_t>& out, const Method& m) {
  std::visit(
      [&out](const auto& method) {
        using T = std::decay_t<decltype(method)>;
        wire::put_u16(out, T::info.class_id);
        wire::put_u16(out, T::info.method_id);
        Encoder encoder(out);
        fields(encoder, method);
        encoder.finish();
      },
      m);
}

const MethodInfo& method_info(const Method& m) noexcept { return *info_table[m.index()]; }

std::string_view method_name(const Method& m) noexcept { return method_info(m).name; }

bool has_content(const Method& m) noexcept { return method_info(m).content; }

}  // namespace postwire::amqp
