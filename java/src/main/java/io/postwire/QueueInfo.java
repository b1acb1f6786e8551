package io.postwire;

/**
 * A declared queue as the broker reports it.
 *
 * @param name its name (the broker's choice when declared with "")
 * @param messageCount the messages it held when declared
 * @param consumerCount the consumers it had when declared
 */
public record QueueInfo(String name, long messageCount, long consumerCount) {}
