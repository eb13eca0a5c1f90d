#!/usr/bin/env python3
"""scripts/deploy_steps.py's decisions against a real botocore DynamoDB client whose answers are stubbed
(botocore.stub.Stubber checks each DescribeTable's parameters too): which stage needs which steps, what a
step config holds, the wait for an index, and the refusal without credentials. No network, no account.

usage: test_deploy_steps.py   (from anywhere; unittest, exit 0 when all pass)
"""
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import botocore.session  # noqa: E402
import yaml  # noqa: E402
from botocore.stub import Stubber  # noqa: E402

import deploy_steps  # noqa: E402

CONFIG = os.path.join(ROOT, "backend", "serverless.yml")
STAGE = "prod"
ORDERS = f"concert-ticket-system-orders-{STAGE}"
TICKETS = f"concert-ticket-system-tickets-{STAGE}"
# issue 18's tables with indexes, described after the orders table (serverless.yml's order)
NEW_TABLES = [f"concert-ticket-system-shifts-{STAGE}", f"concert-ticket-system-journal-{STAGE}"]
BY_EMAIL = {"IndexName": "byEmail", "KeySchema": [{"AttributeName": "emailKey", "KeyType": "HASH"},
                                                  {"AttributeName": "emailSort", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"}, "IndexStatus": "ACTIVE"}
BY_NAME = {"IndexName": "byName", "KeySchema": [{"AttributeName": "nameKey", "KeyType": "HASH"},
                                                {"AttributeName": "nameSort", "KeyType": "RANGE"}],
           "Projection": {"ProjectionType": "ALL"}, "IndexStatus": "ACTIVE"}


def table(*gsis, status=None):
    t = {"TableName": ORDERS, "TableStatus": "ACTIVE",
         "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}
    if gsis:
        t["GlobalSecondaryIndexes"] = [dict(g, IndexStatus=status or g["IndexStatus"]) for g in gsis]
    return {"Table": t}


class Plan(unittest.TestCase):
    def tickets_have_their_index(self):
        tickets = {"Table": {"TableName": TICKETS, "TableStatus": "ACTIVE",
                             "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                             "GlobalSecondaryIndexes": [dict(BY_NAME, IndexName="byHolder")]}}
        self.stub.add_response("describe_table", tickets, expected_params={"TableName": TICKETS})

    def new_tables_active(self):
        """DescribeTable of the shifts and journal tables: there, every declared index ACTIVE."""
        for lid, name in (("ShiftsTable", NEW_TABLES[0]), ("JournalTable", NEW_TABLES[1])):
            p = self.config["resources"]["Resources"][lid]["Properties"]
            t = {"TableName": name, "TableStatus": "ACTIVE", "KeySchema": p["KeySchema"],
                 "GlobalSecondaryIndexes": [dict(g, IndexStatus="ACTIVE") for g in p["GlobalSecondaryIndexes"]]}
            self.stub.add_response("describe_table", {"Table": t}, expected_params={"TableName": name})

    def setUp(self):
        with open(CONFIG) as f:
            self.config = yaml.safe_load(f)
        self.client = botocore.session.get_session().create_client(
            "dynamodb", region_name="us-east-1", aws_access_key_id="stub", aws_secret_access_key="stub")
        self.stub = Stubber(self.client)
        self.said = []

    def plan(self, *answers):
        """plan() with DescribeTable of the stage's orders table answered by ANSWERS, in order (the tickets
        table, asked first, has its byHolder; the shifts and journal tables, asked last, are not there yet)."""
        self.tickets_have_their_index()
        for a in answers:
            if isinstance(a, str):
                self.stub.add_client_error("describe_table", a, expected_params={"TableName": ORDERS})
            else:
                self.stub.add_response("describe_table", a, expected_params={"TableName": ORDERS})
        # the shifts and journal tables (issue 18) are not there yet: created with their indexes, no step
        for t in NEW_TABLES:
            self.stub.add_client_error("describe_table", "ResourceNotFoundException", expected_params={"TableName": t})
        with self.stub:
            steps = deploy_steps.plan(self.config, STAGE, self.client, say=self.said.append)
        self.stub.assert_no_pending_responses()
        return steps

    def test_new_table_one_plain_deploy(self):
        self.assertEqual(self.plan("ResourceNotFoundException"), [])
        self.assertIn(f"{ORDERS}: not there yet, created with byEmail, byName", self.said)
        self.assertIn(f"{NEW_TABLES[1]}: not there yet", self.said[-1])

    def test_table_without_indexes_first_adds_byEmail_only(self):
        self.assertEqual(self.plan(table()), [{"OrdersTable": ["byEmail"]}])

    def test_table_with_byEmail_one_plain_deploy(self):
        self.assertEqual(self.plan(table(BY_EMAIL)), [])

    def test_table_with_byName_only_one_plain_deploy(self):
        self.assertEqual(self.plan(table(BY_NAME)), [])

    def test_table_with_both_one_plain_deploy(self):
        self.assertEqual(self.plan(table(BY_EMAIL, BY_NAME)), [])

    def test_index_still_creating_counts_as_there(self):
        self.assertEqual(self.plan(table(BY_EMAIL, status="CREATING")), [])

    def test_undeclared_index_and_missing_ones_refused(self):
        other = dict(BY_EMAIL, IndexName="byPhone")
        with self.assertRaisesRegex(deploy_steps.StepError, "byPhone"):
            self.plan(table(other))

    def test_access_denied_is_not_a_missing_table(self):
        with self.assertRaises(self.client.exceptions.ClientError):
            self.plan("AccessDeniedException")

    def test_step_config_has_byEmail_and_only_the_attributes_its_keys_use(self):
        with tempfile.TemporaryDirectory() as d:
            paths = deploy_steps.write_steps(CONFIG, self.plan(table()), os.path.join(d, "steps"))
            self.assertEqual(len(paths), 1)
            self.assertEqual(os.path.basename(os.path.dirname(paths[0])), "1-byEmail")
            with open(paths[0]) as f:
                step = yaml.safe_load(f)
            self.assertEqual(os.path.normpath(os.path.join(os.path.dirname(paths[0]), step["package"]["artifact"])),
                             os.path.join(ROOT, "backend", "build", "bootstrap.zip"))
        orders = step["resources"]["Resources"]["OrdersTable"]["Properties"]
        want = self.config["resources"]["Resources"]["OrdersTable"]["Properties"]
        self.assertEqual([g["IndexName"] for g in orders["GlobalSecondaryIndexes"]], ["byEmail"])
        self.assertEqual(orders["GlobalSecondaryIndexes"][0], want["GlobalSecondaryIndexes"][0])
        self.assertEqual([a["AttributeName"] for a in orders["AttributeDefinitions"]], ["id", "emailKey", "emailSort"])
        # everything else is serverless.yml's
        del step["resources"]["Resources"]["OrdersTable"], self.config["resources"]["Resources"]["OrdersTable"]
        del step["package"]["artifact"], self.config["package"]["artifact"]
        self.assertEqual(step, self.config)

    def test_wait_until_active(self):
        slept = []
        self.tickets_have_their_index()
        for a in (table(BY_EMAIL, status="CREATING"), table(BY_EMAIL, status="CREATING"), table(BY_EMAIL)):
            self.stub.add_response("describe_table", a, expected_params={"TableName": ORDERS})
        self.new_tables_active()
        step = deploy_steps.derive(self.config, {"OrdersTable": ["byEmail"]}, "/", "/")
        with self.stub:
            deploy_steps.wait(step, STAGE, self.client, sleep=slept.append, say=self.said.append)
        self.stub.assert_no_pending_responses()
        self.assertEqual(slept, [2, 4])
        self.assertIn(f"{ORDERS}: byEmail ACTIVE", self.said)
        self.assertIn(f"{NEW_TABLES[1]}: byShift, byOperator, byConcert ACTIVE", self.said)

    def test_wait_gives_up(self):
        self.tickets_have_their_index()
        for _ in range(3):
            self.stub.add_response("describe_table", table(), expected_params={"TableName": ORDERS})
        step = deploy_steps.derive(self.config, {"OrdersTable": ["byEmail"]}, "/", "/")
        with self.stub, self.assertRaisesRegex(deploy_steps.StepError, "not ACTIVE after 5 s"):
            deploy_steps.wait(step, STAGE, self.client, timeout=5, sleep=lambda s: None, say=self.said.append)


class Command(unittest.TestCase):
    def test_no_credentials_exits_2_and_writes_nothing(self):
        with tempfile.TemporaryDirectory() as d:
            env = {"PATH": os.environ["PATH"], "HOME": d, "AWS_CONFIG_FILE": os.path.join(d, "none"),
                   "AWS_SHARED_CREDENTIALS_FILE": os.path.join(d, "none"), "AWS_EC2_METADATA_DISABLED": "true"}
            r = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "deploy_steps.py"), "plan", CONFIG,
                                STAGE, "us-east-1", os.path.join(d, "steps")],
                               env=env, capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("no AWS credentials", r.stderr)
            self.assertEqual(r.stdout, "")
            self.assertFalse(os.path.exists(os.path.join(d, "steps")))

    def test_region_is_serverless_yml_default(self):
        r = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "deploy_steps.py"), "region", CONFIG],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual((r.returncode, r.stdout), (0, "us-east-1\n"), r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
