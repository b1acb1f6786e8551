package io.postwire;

/**
 * Receives what a client reports besides delivery reports and messages. Every method runs on the
 * client's poller thread, so keep them short. The defaults write to the {@code io.postwire} {@link
 * System.Logger}.
 */
public interface ClientListener {
  /** Connection states (postwire.h POSTWIRE_CONNECTION_*). */
  enum ConnectionState {
    CONNECTED,
    RECOVERING,
    FAILED,
    CLOSED
  }

  /** Consumer states (postwire.h POSTWIRE_CONSUMER_*). */
  enum ConsumerState {
    ACTIVE,
    CANCELLED,
    FAILED
  }

  /** An error not tied to one send, such as an acknowledgement the broker refused. */
  default void onError(PostwireException error) {
    Listeners.LOGGER.log(System.Logger.Level.WARNING, error.toString());
  }

  /**
   * A send failed and nobody observed its future: no thread was waiting in join or get, and no
   * stage (whenComplete, exceptionally, handle, thenApply, allOf, ...) was attached to it when the
   * failure arrived. The client has already written a WARNING to the {@code io.postwire} logger;
   * this hands the failure to the application too. A failure whose future is observed reaches only
   * its observers. Runs on the poller thread (for sends that close() failed after the poller
   * stopped, on the thread that closed the client).
   */
  default void onUnobservedFailure(String destination, PostwireException error) {}

  /** A log record of the library; {@code level} is TRACE to ERROR as in the log.level option. */
  default void onLog(System.Logger.Level level, String category, String text) {
    Listeners.LOGGER.log(level, "[" + category + "] " + text);
  }

  /** The connection was lost, recovered, failed or closed; {@code error} may be null. */
  default void onConnection(ConnectionState state, String broker, PostwireException error) {
    Listeners.LOGGER.log(
        switch (state) {
          case FAILED -> System.Logger.Level.ERROR;
          case RECOVERING -> System.Logger.Level.WARNING;
          case CONNECTED -> System.Logger.Level.INFO;
          case CLOSED -> System.Logger.Level.DEBUG;
        },
        "connection to " + broker + ": " + state + (error == null ? "" : " (" + error + ")"));
  }

  /**
   * A consumer's state changed; {@code error} may be null. {@code consumerId} is the consumer's
   * {@link Consumer#id()} or {@link Subscription#id()}: it tells apart two consumers of one source.
   * The default passes the event on to {@link #onConsumer(String, ConsumerState,
   * PostwireException)}.
   */
  default void onConsumer(
      long consumerId, String source, ConsumerState state, PostwireException error) {
    onConsumer(source, state, error);
  }

  /**
   * A consumer's state changed, without its id (implement {@link #onConsumer(long, String,
   * ConsumerState, PostwireException)} to have it); {@code error} may be null.
   */
  default void onConsumer(String source, ConsumerState state, PostwireException error) {
    Listeners.LOGGER.log(
        state == ConsumerState.ACTIVE ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
        "consumer of " + source + ": " + state + (error == null ? "" : " (" + error + ")"));
  }

  /**
   * A consumer in a consumer group was given partitions of its source (Kafka; RabbitMQ never
   * reports it). {@link Assignment#consumerId()} names the consumer.
   */
  default void onSourcesAssigned(Assignment assignment) {
    Listeners.LOGGER.log(System.Logger.Level.INFO, "sources assigned: " + assignment);
  }

  /** ... or had partitions taken away; see {@link #onSourcesAssigned}. */
  default void onSourcesRevoked(Assignment assignment) {
    Listeners.LOGGER.log(System.Logger.Level.INFO, "sources revoked: " + assignment);
  }

  /** The broker stopped ({@code blocked}) or resumed reading from publishers. */
  default void onFlow(boolean blocked, String reason) {
    Listeners.LOGGER.log(
        System.Logger.Level.INFO,
        (blocked ? "publishing blocked: " : "publishing resumed: ") + reason);
  }

  /** A subscription's handler threw; the message was nacked (if still unsettled). */
  default void onHandlerFailure(Message message, Throwable failure) {
    Listeners.LOGGER.log(
        System.Logger.Level.WARNING, "message handler failed on " + message.source(), failure);
  }
}
