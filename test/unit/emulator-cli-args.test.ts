import * as assert from "assert";
import { environmentLines, parseCliArgs, parseFault, parseHook } from "../../src/emulator/cli-args";
import { environmentFor } from "../../src/emulator/environment";

describe("emulator CLI arguments", () => {
    it("parses every option into EmulatorOptions", () => {
        const { help, options } = parseCliArgs([
            "--port",
            "4599",
            "--schemas=/tmp/schemas",
            "--delay-ms",
            "250",
            "--duration",
            "AWS::Logs::LogGroup:create=500",
            "--duration",
            "*:delete=0",
            "--no-retry-after",
            "--seed",
            "42",
            "--fault",
            "kind=throttle,operation=GetResourceRequestStatus|ListResources,count=2,probability=0.5",
            "--fault",
            "kind=failed,errorCode=NotStabilized,typeName=AWS::SQS::Queue",
            "--hook",
            "name=Org::Guard::Check,failureMode=WARN,operations=CREATE|UPDATE,fails=false",
            "--rate-limit",
            "10",
            "--rate-burst",
            "20",
            "--state-file",
            "state.json",
            "--region",
            "eu-west-1",
            "--account-id",
            "000000000000",
        ]);
        assert.strictEqual(help, false);
        assert.deepStrictEqual(options, {
            port: 4599,
            schemas: "/tmp/schemas",
            operationDelayMs: 250,
            durations: { "AWS::Logs::LogGroup": { create: 500 }, "*": { delete: 0 } },
            retryAfter: "none",
            seed: 42,
            faults: [
                { kind: "throttle", operation: ["GetResourceRequestStatus", "ListResources"], count: 2, probability: 0.5 },
                { kind: "failed", errorCode: "NotStabilized", typeName: "AWS::SQS::Queue" },
            ],
            hooks: [{ name: "Org::Guard::Check", failureMode: "WARN", operations: ["CREATE", "UPDATE"], fails: false }],
            rateLimit: { requestsPerSecond: 10, burst: 20 },
            stateFile: "state.json",
            region: "eu-west-1",
            accountId: "000000000000",
        });
    });

    it("defaults to any free port and the default schema directory", () => {
        assert.deepStrictEqual(parseCliArgs([]), { help: false, options: { port: 0 } });
        assert.strictEqual(parseCliArgs(["--no-schemas"]).options.schemas, false);
        assert.strictEqual(parseCliArgs(["-h"]).help, true);
    });

    for (const [args, message] of [
        [["--port", "x"], /--port expects an integer/],
        [["--port", "70000"], /--port must be at most 65535/],
        [["--delay-ms"], /--delay-ms expects a value/],
        [["--duration", "AWS::X::Y=5"], /--duration expects TYPE:OPERATION=MS/],
        [["--fault", "kind=server,status=418"], /status must be 500, 502, 503 or 504/],
        [["--fault", "kind=failed"], /needs errorCode/],
        [["--fault", "kind=throttle,colour=red"], /unknown key "colour"/],
        [["--fault", "kind=throttle,probability=2"], /probability must be between 0 and 1/],
        [["--fault", "throttle"], /key=value pairs/],
        [["--hook", "name=A::B::C,failureMode=MAYBE"], /failureMode must be FAIL or WARN/],
        [["--hook", "name=A::B::C,failureMode=FAIL,operations=READ"], /operations must be CREATE, UPDATE and\/or DELETE/],
        [["--rate-burst", "5"], /--rate-burst needs --rate-limit/],
        [["--account-id", "42"], /12 digits/],
        [["--verbose"], /unknown option --verbose/],
    ] as const) {
        it(`rejects ${args.join(" ")} naming what was expected`, () => {
            assert.throws(() => parseCliArgs([...args]), message as RegExp);
        });
    }

    it("parses fault and hook specs on their own", () => {
        assert.deepStrictEqual(parseFault("kind=slow,delayMs=300"), { kind: "slow", delayMs: 300 });
        assert.deepStrictEqual(parseFault("kind=server"), { kind: "server", status: 500 });
        assert.deepStrictEqual(parseHook("name=A::B::C,failureMode=FAIL"), { name: "A::B::C", failureMode: "FAIL" });
    });

    it("parses the profile and the behaviour flags, refusing values AWS does not vary between", () => {
        assert.deepStrictEqual(
            parseCliArgs([
                "--profile",
                "strict",
                "--retry-after",
                "all",
                "--identifier",
                "early",
                "--resource-model",
                "--initial-status",
                "PENDING",
            ]).options,
            { port: 0, profile: "strict", retryAfter: "all", identifier: "early", resourceModel: true, initialStatus: "PENDING" },
        );
        assert.throws(() => parseCliArgs(["--profile", "kind"]), /--profile expects one of aws, strict \(got "kind"\)/);
        assert.throws(() => parseCliArgs(["--retry-after", "sometimes"]), /--retry-after expects one of status, all, none/);
        assert.throws(() => parseCliArgs(["--identifier", "never"]), /--identifier expects one of early, late/);
    });

    it("prints the exact environment to export, from the emulator's env", () => {
        assert.deepStrictEqual(
            environmentLines("http://127.0.0.1:1234", environmentFor("http://127.0.0.1:1234", "us-east-1")).filter((l) =>
                l.startsWith("export "),
            ),
            [
                "export AWS_ENDPOINT_URL_CLOUDCONTROL=http://127.0.0.1:1234",
                "export AWS_ENDPOINT_URL_CLOUDFORMATION=http://127.0.0.1:1234",
                "export AWS_REGION=us-east-1",
                "export AWS_ACCESS_KEY_ID=test",
                "export AWS_SECRET_ACCESS_KEY=test",
            ],
        );
    });
});
