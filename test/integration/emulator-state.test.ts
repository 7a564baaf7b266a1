import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    CloudControlClient,
    CreateResourceCommand,
    GetResourceCommand,
    GetResourceRequestStatusCommand,
} from "@aws-sdk/client-cloudcontrol";
import { Emulator, startEmulator } from "../../src/emulator";
import { CliChild, runCli, startCli } from "../fixtures/emulator/cli-process";
import { cloudControl, credentials } from "../fixtures/emulator/sdk";

describe("emulator state file and CLI", function () {
    this.timeout(60000);
    let dir: string;
    let em: Emulator | undefined;
    let cli: CliChild | undefined;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "cc-emulator-"));
    });
    afterEach(async () => {
        await em?.close();
        em = undefined;
        if (cli && cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill("SIGKILL");
        if (cli) await cli.exited;
        cli = undefined;
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("keeps resources and requests across a restart, including a request still in progress", async () => {
        const file = path.join(dir, "state.json");
        em = await startEmulator({ schemas: false, operationDelayMs: 0, stateFile: file });
        let cc = cloudControl(em);
        await cc.send(
            new CreateResourceCommand({ TypeName: "AWS::Logs::LogGroup", DesiredState: JSON.stringify({ LogGroupName: "kept" }) }),
        );
        em.setDurations({ "*": { create: 3_600_000 } });
        const pending = await cc.send(
            new CreateResourceCommand({ TypeName: "AWS::Logs::LogGroup", DesiredState: JSON.stringify({ LogGroupName: "later" }) }),
        );
        await em.close();
        assert.deepStrictEqual(fs.readdirSync(dir), ["state.json"], "no temporary file left behind");

        em = await startEmulator({ schemas: false, operationDelayMs: 0, stateFile: file });
        cc = cloudControl(em);
        const got = await cc.send(new GetResourceCommand({ TypeName: "AWS::Logs::LogGroup", Identifier: "kept" }));
        assert.strictEqual(JSON.parse(got.ResourceDescription!.Properties!).LogGroupName, "kept");
        const token = pending.ProgressEvent!.RequestToken!;
        assert.strictEqual(
            (await cc.send(new GetResourceRequestStatusCommand({ RequestToken: token }))).ProgressEvent!.OperationStatus,
            "IN_PROGRESS",
        );
        em.advanceClock(2 * 3_600_000);
        assert.strictEqual(
            (await cc.send(new GetResourceRequestStatusCommand({ RequestToken: token }))).ProgressEvent!.OperationStatus,
            "SUCCESS",
        );
        assert.ok(em.getResource("AWS::Logs::LogGroup", "later"));
    });

    it("refuses a corrupt state file with an error naming it, without overwriting it", async () => {
        const file = path.join(dir, "state.json");
        fs.writeFileSync(file, "{ torn");
        await assert.rejects(
            startEmulator({ schemas: false, stateFile: file }),
            (e: Error) => e.message.includes(file) && /not a valid state/.test(e.message),
        );
        assert.strictEqual(fs.readFileSync(file, "utf8"), "{ torn");
    });

    it("runs as a CLI: prints the endpoint and the env to export, serves the SDK, and stops cleanly on SIGTERM", async () => {
        cli = await startCli(["--no-schemas", "--delay-ms", "0", "--region", "eu-west-1"]);
        const out = cli.stdout();
        for (const line of [
            `export AWS_ENDPOINT_URL_CLOUDCONTROL=${cli.endpoint}`,
            `export AWS_ENDPOINT_URL_CLOUDFORMATION=${cli.endpoint}`,
            "export AWS_REGION=eu-west-1",
            "export AWS_ACCESS_KEY_ID=",
            "export AWS_SECRET_ACCESS_KEY=",
        ]) {
            assert.ok(out.includes(line), `missing "${line}" in:\n${out}`);
        }
        const cc = new CloudControlClient({ endpoint: cli.endpoint, region: "eu-west-1", credentials });
        const ev = await cc.send(
            new CreateResourceCommand({ TypeName: "AWS::SQS::Queue", DesiredState: JSON.stringify({ QueueName: "cli-q" }) }),
        );
        assert.strictEqual(ev.ProgressEvent!.Identifier, "https://sqs.eu-west-1.amazonaws.com/123456789012/cli-q");
        cli.child.kill("SIGTERM");
        assert.strictEqual(await cli.exited, 0);
        assert.match(cli.stdout(), /Stopped \(SIGTERM\)/);
    });

    it("takes the profile from --profile or CLOUDCONTROL_EMULATOR_PROFILE (the flag wins) and says which behaviour is in effect", async () => {
        const statusOf = async (endpoint: string) => {
            const cc = new CloudControlClient({ endpoint, region: "us-east-1", credentials });
            const ev = (await cc.send(new CreateResourceCommand({ TypeName: "AWS::SQS::Queue", DesiredState: "{}" }))).ProgressEvent!;
            const read = (await cc.send(new GetResourceRequestStatusCommand({ RequestToken: ev.RequestToken }))).ProgressEvent!;
            cc.destroy();
            return [ev.OperationStatus, read.RetryAfter === undefined ? "no hint" : "hint"];
        };
        for (const [args, env, expected, line] of [
            [
                ["--profile", "strict"],
                {},
                ["PENDING", "no hint"],
                "RetryAfter none, identifier late, ResourceModel on SUCCESS off, first status PENDING",
            ],
            [[], { CLOUDCONTROL_EMULATOR_PROFILE: "strict" }, ["PENDING", "no hint"], "first status PENDING"],
            [
                ["--profile", "aws"],
                { CLOUDCONTROL_EMULATOR_PROFILE: "strict" },
                ["IN_PROGRESS", "hint"],
                "RetryAfter status, identifier late, ResourceModel on SUCCESS off, first status IN_PROGRESS",
            ],
        ] as const) {
            cli = await startCli(["--no-schemas", "--delay-ms", "60000", ...args], 20000, env);
            assert.deepStrictEqual(await statusOf(cli.endpoint), expected, `${args.join(" ")} ${JSON.stringify(env)}`);
            assert.ok(cli.stdout().includes(line), cli.stdout());
            cli.child.kill("SIGTERM");
            assert.strictEqual(await cli.exited, 0);
        }
        const bad = await runCli(["--no-schemas"], { CLOUDCONTROL_EMULATOR_PROFILE: "friendly" });
        assert.strictEqual(bad.code, 1);
        assert.match(
            bad.stderr,
            /environment variable CLOUDCONTROL_EMULATOR_PROFILE: unknown emulator profile "friendly" \(expected one of aws, strict\)/,
        );
        cli = undefined;
    });

    it("warns at start about schema files it cannot use, naming each file and its problem", async () => {
        fs.writeFileSync(path.join(dir, "aws-logs-loggroup.json"), "{ torn");
        fs.writeFileSync(path.join(dir, "aws-sqs-queue.json"), JSON.stringify({ typeName: "AWS::SNS::Topic", properties: {} }));
        fs.copyFileSync(
            path.join(__dirname, "../fixtures/emulator/schemas/test-fixture-compound.json"),
            path.join(dir, "test-fixture-compound.json"),
        );
        cli = await startCli(["--schemas", dir]);
        const err = cli.stderr();
        assert.ok(err.includes(`schema file ${path.join(dir, "aws-logs-loggroup.json")} cannot be used: it is not valid JSON`), err);
        assert.ok(
            err.includes(
                `schema file ${path.join(dir, "aws-sqs-queue.json")} cannot be used: it holds AWS::SNS::Topic, whose file must be named aws-sns-topic.json`,
            ),
            err,
        );
        assert.ok(!err.includes("test-fixture-compound.json"), err);
        cli.child.kill("SIGTERM");
        assert.strictEqual(await cli.exited, 0);
    });

    it("stops cleanly on SIGINT (Ctrl-C) too", async () => {
        cli = await startCli(["--no-schemas"]);
        cli.child.kill("SIGINT");
        assert.strictEqual(await cli.exited, 0);
        assert.match(cli.stdout(), /Stopped \(SIGINT\)/);
    });

    it("never loses an acknowledged write when the CLI is killed mid-flight (SIGKILL), and the state file stays valid", async () => {
        const file = path.join(dir, "state.json");
        cli = await startCli(["--no-schemas", "--delay-ms", "0", "--state-file", file]);
        const cc = new CloudControlClient({ endpoint: cli.endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
        const acknowledged: string[] = [];
        const sends = Array.from({ length: 40 }, (_, i) =>
            cc
                .send(
                    new CreateResourceCommand({
                        TypeName: "AWS::Logs::LogGroup",
                        DesiredState: JSON.stringify({ LogGroupName: `crash-${i}` }),
                    }),
                )
                .then((r) => {
                    if (r.ProgressEvent!.OperationStatus === "SUCCESS") acknowledged.push(r.ProgressEvent!.Identifier!);
                    if (acknowledged.length === 15) cli!.child.kill("SIGKILL");
                })
                .catch(() => undefined),
        );
        await Promise.all(sends);
        await cli.exited;
        assert.ok(acknowledged.length >= 15);
        em = await startEmulator({ schemas: false, stateFile: file });
        const stored = new Set(em.listResources("AWS::Logs::LogGroup").map((r) => r.identifier));
        for (const id of acknowledged) assert.ok(stored.has(id), `${id} was acknowledged but lost`);
    });

    it("rejects bad flags with exit code 2 and a message naming the flag", async () => {
        const bad = await runCli(["--fault", "kind=meteor"]);
        assert.strictEqual(bad.code, 2);
        assert.match(bad.stderr, /--fault: kind must be one of/);
        const help = await runCli(["--help"]);
        assert.strictEqual(help.code, 0);
        assert.match(help.stdout, /--state-file PATH/);
    });
});
