#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "protocol/amqp/field_table.hpp"

namespace postwire::amqp {

// Every method of the classes postwire speaks, transcribed from the AMQP 0-9-1 spec with
// RabbitMQ's extensions (amqp0-9-1.stripped.extended.xml): connection (10), channel (20),
// exchange (40), queue (50), basic (60) and confirm (85). Field names are the spec's in
// snake_case and in wire order. Reserved (deprecated) fields are not members: the codec writes
// their zero value and skips them on decode. Strings are short strings (at most 255 bytes)
// unless marked "long string".

// What identifies a method on the wire, plus what the codec needs to know about it.
struct MethodInfo {
  std::uint16_t class_id;
  std::uint16_t method_id;
  std::string_view name;  // "basic.publish"
  bool content;           // followed by a content header and body frames
};

// --- connection (10) ---

struct ConnectionStart {
  static constexpr MethodInfo info{10, 10, "connection.start", false};
  std::uint8_t version_major = 0;
  std::uint8_t version_minor = 9;
  FieldTable server_properties;
  std::string mechanisms;  // long string, space-separated
  std::string locales;     // long string, space-separated
  bool operator==(const ConnectionStart&) const = default;
};
struct ConnectionStartOk {
  static constexpr MethodInfo info{10, 11, "connection.start-ok", false};
  FieldTable client_properties;
  std::string mechanism = "PLAIN";
  std::string response;  // long string
  std::string locale = "en_US";
  bool operator==(const ConnectionStartOk&) const = default;
};
struct ConnectionSecure {
  static constexpr MethodInfo info{10, 20, "connection.secure", false};
  std::string challenge;  // long string
  bool operator==(const ConnectionSecure&) const = default;
};
struct ConnectionSecureOk {
  static constexpr MethodInfo info{10, 21, "connection.secure-ok", false};
  std::string response;  // long string
  bool operator==(const ConnectionSecureOk&) const = default;
};
struct ConnectionTune {
  static constexpr MethodInfo info{10, 30, "connection.tune", false};
  std::uint16_t channel_max = 0;
  std::uint32_t frame_max = 0;
  std::uint16_t heartbeat = 0;
  bool operator==(const ConnectionTune&) const = default;
};
struct ConnectionTuneOk {
  static constexpr MethodInfo info{10, 31, "connection.tune-ok", false};
  std::uint16_t channel_max = 0;
  std::uint32_t frame_max = 0;
  std::uint16_t heartbeat = 0;
  bool operator==(const ConnectionTuneOk&) const = default;
};
struct ConnectionOpen {
  static constexpr MethodInfo info{10, 40, "connection.open", false};
  std::string virtual_host = "/";
  // reserved-1 (shortstr), reserved-2 (bit)
  bool operator==(const ConnectionOpen&) const = default;
};
struct ConnectionOpenOk {
  static constexpr MethodInfo info{10, 41, "connection.open-ok", false};
  // reserved-1 (shortstr)
  bool operator==(const ConnectionOpenOk&) const = default;
};
struct ConnectionClose {
  static constexpr MethodInfo info{10, 50, "connection.close", false};
  std::uint16_t reply_code = 0;
  std::string reply_text;
  std::uint16_t class_id = 0;  // of the method that caused the close, or 0
  std::uint16_t method_id = 0;
  bool operator==(const ConnectionClose&) const = default;
};
struct ConnectionCloseOk {
  static constexpr MethodInfo info{10, 51, "connection.close-ok", false};
  bool operator==(const ConnectionCloseOk&) const = default;
};
struct ConnectionBlocked {
  static constexpr MethodInfo info{10, 60, "connection.blocked", false};
  std::string reason;
  bool operator==(const ConnectionBlocked&) const = default;
};
struct ConnectionUnblocked {
  static constexpr MethodInfo info{10, 61, "connection.unblocked", false};
  bool operator==(const ConnectionUnblocked&) const = default;
};
struct ConnectionUpdateSecret {
  static constexpr MethodInfo info{10, 70, "connection.update-secret", false};
  std::string new_secret;  // long string
  std::string reason;
  bool operator==(const ConnectionUpdateSecret&) const = default;
};
struct ConnectionUpdateSecretOk {
  static constexpr MethodInfo info{10, 71, "connection.update-secret-ok", false};
  bool operator==(const ConnectionUpdateSecretOk&) const = default;
};

// --- channel (20) ---

struct ChannelOpen {
  static constexpr MethodInfo info{20, 10, "channel.open", false};
  // reserved-1 (shortstr)
  bool operator==(const ChannelOpen&) const = default;
};
struct ChannelOpenOk {
  static constexpr MethodInfo info{20, 11, "channel.open-ok", false};
  // reserved-1 (longstr)
  bool operator==(const ChannelOpenOk&) const = default;
};
struct ChannelFlow {
  static constexpr MethodInfo info{20, 20, "channel.flow", false};
  bool active = true;
  bool operator==(const ChannelFlow&) const = default;
};
struct ChannelFlowOk {
  static constexpr MethodInfo info{20, 21, "channel.flow-ok", false};
  bool active = true;
  bool operator==(const ChannelFlowOk&) const = default;
};
struct ChannelClose {
  static constexpr MethodInfo info{20, 40, "channel.close", false};
  std::uint16_t reply_code = 0;
  std::string reply_text;
  std::uint16_t class_id = 0;
  std::uint16_t method_id = 0;
  bool operator==(const ChannelClose&) const = default;
};
struct ChannelCloseOk {
  static constexpr MethodInfo info{20, 41, "channel.close-ok", false};
  bool operator==(const ChannelCloseOk&) const = default;
};

// --- exchange (40) ---

struct ExchangeDeclare {
  static constexpr MethodInfo info{40, 10, "exchange.declare", false};
  // reserved-1 (short)
  std::string exchange;
  std::string type = "direct";
  bool passive = false;
  bool durable = false;
  bool auto_delete = false;
  bool internal = false;
  bool no_wait = false;
  FieldTable arguments;
  bool operator==(const ExchangeDeclare&) const = default;
};
struct ExchangeDeclareOk {
  static constexpr MethodInfo info{40, 11, "exchange.declare-ok", false};
  bool operator==(const ExchangeDeclareOk&) const = default;
};
struct ExchangeDelete {
  static constexpr MethodInfo info{40, 20, "exchange.delete", false};
  // reserved-1 (short)
  std::string exchange;
  bool if_unused = false;
  bool no_wait = false;
  bool operator==(const ExchangeDelete&) const = default;
};
struct ExchangeDeleteOk {
  static constexpr MethodInfo info{40, 21, "exchange.delete-ok", false};
  bool operator==(const ExchangeDeleteOk&) const = default;
};
struct ExchangeBind {
  static constexpr MethodInfo info{40, 30, "exchange.bind", false};
  // reserved-1 (short)
  std::string destination;
  std::string source;
  std::string routing_key;
  bool no_wait = false;
  FieldTable arguments;
  bool operator==(const ExchangeBind&) const = default;
};
struct ExchangeBindOk {
  static constexpr MethodInfo info{40, 31, "exchange.bind-ok", false};
  bool operator==(const ExchangeBindOk&) const = default;
};
struct ExchangeUnbind {
  static constexpr MethodInfo info{40, 40, "exchange.unbind", false};
  // reserved-1 (short)
  std::string destination;
  std::string source;
  std::string routing_key;
  bool no_wait = false;
  FieldTable arguments;
  bool operator==(const ExchangeUnbind&) const = default;
};
struct ExchangeUnbindOk {
  // 51, not 41: RabbitMQ's extension numbers it so.
  static constexpr MethodInfo info{40, 51, "exchange.unbind-ok", false};
  bool operator==(const ExchangeUnbindOk&) const = default;
};

// --- queue (50) ---

struct QueueDeclare {
  static constexpr MethodInfo info{50, 10, "queue.declare", false};
  // reserved-1 (short)
  std::string queue;  // empty: the broker names the queue
  bool passive = false;
  bool durable = false;
  bool exclusive = false;
  bool auto_delete = false;
  bool no_wait = false;
  FieldTable arguments;
  bool operator==(const QueueDeclare&) const = default;
};
struct QueueDeclareOk {
  static constexpr MethodInfo info{50, 11, "queue.declare-ok", false};
  std::string queue;
  std::uint32_t message_count = 0;
  std::uint32_t consumer_count = 0;
  bool operator==(const QueueDeclareOk&) const = default;
};
struct QueueBind {
  static constexpr MethodInfo info{50, 20, "queue.bind", false};
  // reserved-1 (short)
  std::string queue;
  std::string exchange;
  std::string routing_key;
  bool no_wait = false;
  FieldTable arguments;
  bool operator==(const QueueBind&) const = default;
};
struct QueueBindOk {
  static constexpr MethodInfo info{50, 21, "queue.bind-ok", false};
  bool operator==(const QueueBindOk&) const = default;
};
struct QueuePurge {
  static constexpr MethodInfo info{50, 30, "queue.purge", false};
  // reserved-1 (short)
  std::string queue;
  bool no_wait = false;
  bool operator==(const QueuePurge&) const = default;
};
struct QueuePurgeOk {
  static constexpr MethodInfo info{50, 31, "queue.purge-ok", false};
  std::uint32_t message_count = 0;
  bool operator==(const QueuePurgeOk&) const = default;
};
struct QueueDelete {
  static constexpr MethodInfo info{50, 40, "queue.delete", false};
  // reserved-1 (short)
  std::string queue;
  bool if_unused = false;
  bool if_empty = false;
  bool no_wait = false;
  bool operator==(const QueueDelete&) const = default;
};
struct QueueDeleteOk {
  static constexpr MethodInfo info{50, 41, "queue.delete-ok", false};
  std::uint32_t message_count = 0;
  bool operator==(const QueueDeleteOk&) const = default;
};
struct QueueUnbind {
  static constexpr MethodInfo info{50, 50, "queue.unbind", false};
  // reserved-1 (short); queue.unbind has no no-wait bit
  std::string queue;
  std::string exchange;
  std::string routing_key;
  FieldTable arguments;
  bool operator==(const QueueUnbind&) const = default;
};
struct QueueUnbindOk {
  static constexpr MethodInfo info{50, 51, "queue.unbind-ok", false};
  bool operator==(const QueueUnbindOk&) const = default;
};

// --- basic (60) ---

struct BasicQos {
  static constexpr MethodInfo info{60, 10, "basic.qos", false};
  std::uint32_t prefetch_size = 0;
  std::uint16_t prefetch_count = 0;
  bool global = false;
  bool operator==(const BasicQos&) const = default;
};
struct BasicQosOk {
  static constexpr MethodInfo info{60, 11, "basic.qos-ok", false};
  bool operator==(const BasicQosOk&) const = default;
};
struct BasicConsume {
  static constexpr MethodInfo info{60, 20, "basic.consume", false};
  // reserved-1 (short)
  std::string queue;
  std::string consumer_tag;  // empty: the broker picks one
  bool no_local = false;
  bool no_ack = false;
  bool exclusive = false;
  bool no_wait = false;
  FieldTable arguments;
  bool operator==(const BasicConsume&) const = default;
};
struct BasicConsumeOk {
  static constexpr MethodInfo info{60, 21, "basic.consume-ok", false};
  std::string consumer_tag;
  bool operator==(const BasicConsumeOk&) const = default;
};
// Sent by the client, or by RabbitMQ when the queue of a consumer goes away.
struct BasicCancel {
  static constexpr MethodInfo info{60, 30, "basic.cancel", false};
  std::string consumer_tag;
  bool no_wait = false;
  bool operator==(const BasicCancel&) const = default;
};
struct BasicCancelOk {
  static constexpr MethodInfo info{60, 31, "basic.cancel-ok", false};
  std::string consumer_tag;
  bool operator==(const BasicCancelOk&) const = default;
};
struct BasicPublish {
  static constexpr MethodInfo info{60, 40, "basic.publish", true};
  // reserved-1 (short)
  std::string exchange;
  std::string routing_key;
  bool mandatory = false;
  bool immediate = false;
  bool operator==(const BasicPublish&) const = default;
};
struct BasicReturn {
  static constexpr MethodInfo info{60, 50, "basic.return", true};
  std::uint16_t reply_code = 0;
  std::string reply_text;
  std::string exchange;
  std::string routing_key;
  bool operator==(const BasicReturn&) const = default;
};
struct BasicDeliver {
  static constexpr MethodInfo info{60, 60, "basic.deliver", true};
  std::string consumer_tag;
  std::uint64_t delivery_tag = 0;
  bool redelivered = false;
  std::string exchange;
  std::string routing_key;
  bool operator==(const BasicDeliver&) const = default;
};
struct BasicGet {
  static constexpr MethodInfo info{60, 70, "basic.get", false};
  // reserved-1 (short)
  std::string queue;
  bool no_ack = false;
  bool operator==(const BasicGet&) const = default;
};
struct BasicGetOk {
  static constexpr MethodInfo info{60, 71, "basic.get-ok", true};
  std::uint64_t delivery_tag = 0;
  bool redelivered = false;
  std::string exchange;
  std::string routing_key;
  std::uint32_t message_count = 0;
  bool operator==(const BasicGetOk&) const = default;
};
struct BasicGetEmpty {
  static constexpr MethodInfo info{60, 72, "basic.get-empty", false};
  // reserved-1 (shortstr)
  bool operator==(const BasicGetEmpty&) const = default;
};
// Sent by the client, or by RabbitMQ to confirm publishes on a channel in confirm mode.
struct BasicAck {
  static constexpr MethodInfo info{60, 80, "basic.ack", false};
  std::uint64_t delivery_tag = 0;
  bool multiple = false;
  bool operator==(const BasicAck&) const = default;
};
struct BasicReject {
  static constexpr MethodInfo info{60, 90, "basic.reject", false};
  std::uint64_t delivery_tag = 0;
  bool requeue = true;
  bool operator==(const BasicReject&) const = default;
};
struct BasicRecoverAsync {  // deprecated in the spec; RabbitMQ still accepts it
  static constexpr MethodInfo info{60, 100, "basic.recover-async", false};
  bool requeue = false;
  bool operator==(const BasicRecoverAsync&) const = default;
};
struct BasicRecover {
  static constexpr MethodInfo info{60, 110, "basic.recover", false};
  bool requeue = false;
  bool operator==(const BasicRecover&) const = default;
};
struct BasicRecoverOk {
  static constexpr MethodInfo info{60, 111, "basic.recover-ok", false};
  bool operator==(const BasicRecoverOk&) const = default;
};
struct BasicNack {
  static constexpr MethodInfo info{60, 120, "basic.nack", false};
  std::uint64_t delivery_tag = 0;
  bool multiple = false;
  bool requeue = true;
  bool operator==(const BasicNack&) const = default;
};

// --- confirm (85) ---

struct ConfirmSelect {
  static constexpr MethodInfo info{85, 10, "confirm.select", false};
  bool no_wait = false;  // "nowait" in the spec
  bool operator==(const ConfirmSelect&) const = default;
};
struct ConfirmSelectOk {
  static constexpr MethodInfo info{85, 11, "confirm.select-ok", false};
  bool operator==(const ConfirmSelectOk&) const = default;
};

using Method = std::variant<
    ConnectionStart, ConnectionStartOk, ConnectionSecure, ConnectionSecureOk, ConnectionTune,
    ConnectionTuneOk, ConnectionOpen, ConnectionOpenOk, ConnectionClose, ConnectionCloseOk,
    ConnectionBlocked, ConnectionUnblocked, ConnectionUpdateSecret, ConnectionUpdateSecretOk,
    ChannelOpen, ChannelOpenOk, ChannelFlow, ChannelFlowOk, ChannelClose, ChannelCloseOk,
    ExchangeDeclare, ExchangeDeclareOk, ExchangeDelete, ExchangeDeleteOk, ExchangeBind,
    ExchangeBindOk, ExchangeUnbind, ExchangeUnbindOk, QueueDeclare, QueueDeclareOk, QueueBind,
    QueueBindOk, QueuePurge, QueuePurgeOk, QueueDelete, QueueDeleteOk, QueueUnbind, QueueUnbindOk,
    BasicQos, BasicQosOk, BasicConsume, BasicConsumeOk, BasicCancel, BasicCancelOk, BasicPublish,
    BasicReturn, BasicDeliver, BasicGet, BasicGetOk, BasicGetEmpty, BasicAck, BasicReject,
    BasicRecoverAsync, BasicRecover, BasicRecoverOk, BasicNack, ConfirmSelect, ConfirmSelectOk>;

// Decodes a method frame's payload (class id, method id, arguments). Throws
// Exception(protocol_error) for an unknown class/method id, arguments that overrun the
// payload, or bytes left after the last argument.
Method decode_method(std::span<const std::uint8_t> payload);
// Appends a method frame's payload. Throws Exception(invalid_argument) for a short string over
// 255 bytes.
void append_method(std::vector<std::uint8_t>& out, const Method& m);

const MethodInfo& method_info(const Method& m) noexcept;
// "basic.publish"
std::string_view method_name(const Method& m) noexcept;
// True for the methods followed by content: basic.publish, return, deliver and get-ok.
bool has_content(const Method& m) noexcept;

}  // namespace postwire::amqp
