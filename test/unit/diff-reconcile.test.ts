import * as assert from "assert";
import { diffDesiredState, reconcileInputs } from "../../src/diff";
import { testSchema } from "../fixtures/schemas";

const lambda = testSchema("AWS::Lambda::Function");
const sg = testSchema("AWS::EC2::SecurityGroup");
const role = testSchema("AWS::IAM::Role");
const parameter = testSchema("AWS::SSM::Parameter");

describe("reconcileInputs", () => {
    const inputs = {
        FunctionName: "fn",
        Role: "arn:r",
        Code: { S3Bucket: "b", S3Key: "k.zip" },
        Environment: { Variables: { A: "1" } },
        Tags: [
            { Key: "a", Value: "1" },
            { Key: "b", Value: "2" },
        ],
    };
    // What GetResource returns: no write-only values, read-only ones added, aws: tags added, sets reordered.
    const live = {
        FunctionName: "fn",
        Role: "arn:r",
        Arn: "arn:aws:lambda:us-east-1:123456789012:function:fn",
        Environment: { Variables: { A: "1" } },
        Tags: [
            { Key: "b", Value: "2" },
            { Key: "aws:cloudformation:stack-id", Value: "x" },
            { Key: "a", Value: "1" },
        ],
    };

    it("keeps write-only values from the old inputs, drops read-only ones and keeps the user's form", () => {
        const r = reconcileInputs(inputs, live, lambda);
        assert.deepStrictEqual(r, inputs);
        assert.strictEqual(diffDesiredState(r, inputs, lambda).changes, false);
    });
    it("shows real drift with the live value", () => {
        const r = reconcileInputs(inputs, { ...live, Environment: { Variables: { A: "2" } } }, lambda);
        assert.deepStrictEqual(r.Environment, { Variables: { A: "2" } });
        assert.deepStrictEqual(r.Code, inputs.Code);
        const d = diffDesiredState(r, inputs, lambda);
        // Code (write-only) rides along with the change.
        assert.deepStrictEqual(d.patch, [
            { op: "replace", path: "/Environment/Variables/A", value: "1" },
            { op: "add", path: "/Code", value: inputs.Code },
        ]);
    });
    it("on import (no old inputs) is the live model minus read-only values and aws: tags", () => {
        const r = reconcileInputs(undefined, live, lambda);
        assert.deepStrictEqual(r, {
            FunctionName: "fn",
            Role: "arn:r",
            Environment: { Variables: { A: "1" } },
            Tags: [
                { Key: "b", Value: "2" },
                { Key: "a", Value: "1" },
            ],
        });
    });
    it("keeps the old form of a JSON document returned as a string, and of a reordered set", () => {
        const doc = {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "ec2.amazonaws.com" } }],
        };
        const old = { RoleName: "r", AssumeRolePolicyDocument: doc, ManagedPolicyArns: ["arn:a", "arn:b"] };
        const r = reconcileInputs(
            old,
            {
                RoleName: "r",
                Arn: "arn:role",
                RoleId: "AROA",
                AssumeRolePolicyDocument: JSON.stringify(doc),
                ManagedPolicyArns: ["arn:b", "arn:a"],
            },
            role,
        );
        assert.deepStrictEqual(r, old);
    });
    it("keeps write-only members of items in a set the service reordered", () => {
        const old = {
            GroupDescription: "d",
            SecurityGroupIngress: [
                { IpProtocol: "tcp", FromPort: 1, ToPort: 1, SourceSecurityGroupName: "other" },
                { IpProtocol: "tcp", FromPort: 2, ToPort: 2, CidrIp: "10.0.0.0/8" },
            ],
        };
        const liveSg = {
            GroupDescription: "d",
            GroupId: "sg-1",
            Id: "sg-1",
            SecurityGroupIngress: [
                { IpProtocol: "tcp", FromPort: 2, ToPort: 2, CidrIp: "10.0.0.0/8" },
                { IpProtocol: "tcp", FromPort: 1, ToPort: 1, SourceSecurityGroupId: "sg-9" },
            ],
        };
        const r = reconcileInputs(old, liveSg, sg);
        assert.deepStrictEqual(r.GroupId, undefined);
        const items = r.SecurityGroupIngress as Record<string, unknown>[];
        assert.deepStrictEqual(items[0], old.SecurityGroupIngress[1]);
        // the other item drifted (a source id appeared): it takes the live values
        assert.strictEqual(items[1].SourceSecurityGroupId, "sg-9");
    });
    describe("tracks only what the user set, and maps the user set whole", () => {
        it("a tag added out of band to a map of tags (AWS::SSM::Parameter Tags) is drift", () => {
            const old = { Name: "p", Type: "String", Value: "v", Tags: { team: "core" } };
            const liveParam = {
                Name: "p",
                Type: "String",
                Value: "v",
                DataType: "text",
                Arn: "arn:p",
                Tags: { team: "core", owner: "someone", "aws:cloudformation:stack-name": "s" },
            };
            const r = reconcileInputs(old, liveParam, parameter);
            // DataType is a service default the user never set: untracked; the map is the user's, minus aws: tags.
            assert.deepStrictEqual(r, { Name: "p", Type: "String", Value: "v", Tags: { team: "core", owner: "someone" } });
            assert.deepStrictEqual(diffDesiredState(r, old, parameter).patch, [{ op: "remove", path: "/Tags/owner" }]);
        });
        it("a variable added out of band to Lambda Environment.Variables is drift; an unset member of a set object is not", () => {
            const old = { ...inputs, DurableConfig: { ExecutionTimeout: 60 } };
            const liveFn = {
                ...live,
                MemorySize: 128,
                DurableConfig: { ExecutionTimeout: 60, RetentionPeriodInDays: 14 },
                Environment: { Variables: { A: "1", INJECTED: "x" } },
            };
            const r = reconcileInputs(old, liveFn, lambda);
            assert.deepStrictEqual(r.Environment, { Variables: { A: "1", INJECTED: "x" } });
            assert.deepStrictEqual(r.DurableConfig, { ExecutionTimeout: 60 }, "a default inside an object the user set stays untracked");
            assert.ok(!("MemorySize" in r), "a property the user never set stays untracked");
            assert.deepStrictEqual(diffDesiredState(r, old, lambda).patch, [
                { op: "remove", path: "/Environment/Variables/INJECTED" },
                { op: "add", path: "/Code", value: inputs.Code },
            ]);
        });
        it("a member added out of band to a JSON document is drift", () => {
            const doc = {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "ec2.amazonaws.com" } }],
            };
            const old = { RoleName: "r", AssumeRolePolicyDocument: doc };
            const r = reconcileInputs(old, { RoleName: "r", Arn: "arn:role", AssumeRolePolicyDocument: { ...doc, Id: "injected" } }, role);
            assert.deepStrictEqual(r.AssumeRolePolicyDocument, { ...doc, Id: "injected" });
            assert.strictEqual(diffDesiredState(r, old, role).changes, true);
        });
        it("a tag added out of band to a list of tags is drift (as before)", () => {
            const r = reconcileInputs(inputs, { ...live, Tags: [...live.Tags, { Key: "c", Value: "3" }] }, lambda);
            assert.strictEqual(diffDesiredState(r, inputs, lambda).changes, true);
        });
        it("a map the user never set stays untracked, and empty old inputs track nothing", () => {
            const old = { Name: "p", Type: "String", Value: "v" };
            const liveParam = { ...old, Tags: { owner: "someone" } };
            assert.deepStrictEqual(reconcileInputs(old, liveParam, parameter), old);
            assert.deepStrictEqual(reconcileInputs({}, liveParam, parameter), {});
        });
    });
    it("rejects a live model that is not an object", () => {
        assert.throws(() => reconcileInputs({}, "x" as never, lambda), /live model must be an object/);
    });
});
