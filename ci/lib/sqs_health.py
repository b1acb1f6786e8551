"""Proves an SQS server works: creates a queue, sends and receives a message, deletes the queue.

Run by ci/brokers with POSTWIRE_SQS_ENDPOINT and POSTWIRE_SQS_REGION set.
"""

import os
import sys

import boto3
from botocore.config import Config


def main() -> int:
    client = boto3.client(
        "sqs",
        endpoint_url=os.environ["POSTWIRE_SQS_ENDPOINT"],
        region_name=os.environ["POSTWIRE_SQS_REGION"],
        # ElasticMQ accepts any credentials; these are not secrets.
        aws_access_key_id="postwire",
        aws_secret_access_key="postwire",
        config=Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=10),
    )
    name = f"postwire-health-{os.getpid()}"
    url = client.create_queue(QueueName=name)["QueueUrl"]
    try:
        client.send_message(QueueUrl=url, MessageBody="health")
        received = client.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages", [])
        if not received or received[0]["Body"] != "health":
            print(f"sqs health: sent a message to {name} but did not receive it", file=sys.stderr)
            return 1
    finally:
        client.delete_queue(QueueUrl=url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
