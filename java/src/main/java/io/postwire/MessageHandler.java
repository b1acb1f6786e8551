package io.postwire;

/**
 * Handles the messages of a {@link Subscription}. It should settle each message (ack, nack or
 * deadLetter); when it throws instead, the message is nacked for redelivery.
 */
@FunctionalInterface
public interface MessageHandler {
  void handle(Message message) throws Exception;
}
