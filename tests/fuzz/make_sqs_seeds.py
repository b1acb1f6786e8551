#!/usr/bin/env python3
"""Writes the seed corpus for sqs-response-fuzz into corpus/sqs-response/.

Each seed is one byte choosing the operation (see sqs_response_fuzz.cpp: 0 SendMessage,
1 SendMessageBatch, 2 ReceiveMessage, 3 DeleteMessageBatch, 6 GetQueueUrl, 7
GetQueueAttributes, 8 ListQueues, ...) and then an HTTP response body shaped after the SQS API
reference's response syntax, like the unit tests' bodies.
"""

import json
from pathlib import Path

seeds = {
    "send-message": (
        0,
        {
            "MD5OfMessageBody": "5d41402abc4b2a76b9719d911017c592",
            "MD5OfMessageAttributes": "19e27d4e946b072f3f58da80d94fd778",
            "MessageId": "219f8380-5770-4cc2-8c3e-5c715e145f5e",
            "SequenceNumber": "18849496460467696128",
        },
    ),
    "send-message-batch": (
        1,
        {
            "Successful": [
                {
                    "Id": "0",
                    "MessageId": "m-0",
                    "MD5OfMessageBody": "0cc175b9c0f1b6a831c399e269772661",
                }
            ],
            "Failed": [
                {
                    "Id": "1",
                    "SenderFault": True,
                    "Code": "InvalidMessageContents",
                    "Message": "Invalid binary character",
                }
            ],
        },
    ),
    "receive-message": (
        2,
        {
            "Messages": [
                {
                    "MessageId": "5fea7756-0ea4-451a-a703-a558b933e274",
                    "ReceiptHandle": (
                        "MbZj6wDWli+JvwwJaBV+3dcjk2YW2vA3+STFFljTM8tJJg6HRG6PYSasuWXPJB+Cw=="
                    ),
                    "MD5OfBody": "5d41402abc4b2a76b9719d911017c592",
                    "Body": "hello",
                    "Attributes": {
                        "ApproximateReceiveCount": "1",
                        "SentTimestamp": "1700000000000",
                    },
                    "MD5OfMessageAttributes": "31a92b15d92f8db860eda32aceb656c3",
                    "MessageAttributes": {
                        "binaryAttribute": {
                            "DataType": "Binary",
                            "BinaryValue": "SGVsbG8gYmluYXJ5IHdvcmxkIQ==",
                        },
                    },
                }
            ],
        },
    ),
    "delete-message-batch": (
        3,
        {
            "Successful": [{"Id": "a"}],
            "Failed": [{"Id": "b", "SenderFault": True, "Code": "ReceiptHandleIsInvalid"}],
        },
    ),
    "get-queue-url": (6, {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/111122223333/q"}),
    "get-queue-attributes": (
        7,
        {"Attributes": {"MaximumMessageSize": "262144", "FifoQueue": "true"}},
    ),
    "list-queues": (8, {"QueueUrls": ["http://localhost:9324/000000000000/a"], "NextToken": "n"}),
    "error-queue-does-not-exist": (
        0x10 + 9,
        {
            "__type": "com.amazonaws.sqs#QueueDoesNotExist",
            "message": "The specified queue does not exist.",
        },
    ),
}

out = Path(__file__).resolve().parent / "corpus" / "sqs-response"
out.mkdir(parents=True, exist_ok=True)
for name, (choice, body) in seeds.items():
    (out / name).write_bytes(bytes([choice]) + json.dumps(body, separators=(",", ":")).encode())
