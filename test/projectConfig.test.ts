// The Pulumi CLI's project-config rules, as config/project.ts applies them offline. Each case
// mirrors a test of pulumi/pulumi (pkg/workspace/config_project_test.go, config_test.go and
// sdk/go/common/workspace/project_test.go at CLI 3.260), named after it, with the CLI's message.
import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { applyProjectConfig, fullTypeName, readProjectConfig, valueHasType } from "../config/project";
import { PROJECT_DIR } from "../tools/synth";

/** Runs both halves as the CLI does for `pulumi preview -s dev` of project `test`: a bad project stops it first. */
function check(projectYaml: string, stackYaml: string) {
    const project = readProjectConfig("test", parse(projectYaml) ?? undefined);
    if (project.problems.length > 0) {
        return { values: {}, problems: project.problems };
    }
    const stack = applyProjectConfig("test", "dev", project.declarations, (parse(stackYaml) as Record<string, unknown>) ?? {});
    return { values: stack.values, problems: stack.problems };
}

interface Case {
    name: string;
    project: string;
    stack: string;
    /** The problems, in order; none means the CLI accepts it. */
    problems?: string[];
    values?: Record<string, unknown>;
}

const cli = (message: string) => [message];

const CASES: Case[] = [
    {
        name: "TestStackConfigIsInheritedFromProjectConfig",
        project: "instanceSize: t3.micro\ninstanceCount: 20\nprotect: true",
        stack: "test:instanceSize: t4.large",
        values: { "test:instanceSize": "t4.large", "test:instanceCount": 20, "test:protect": true },
    },
    {
        name: "TestNamespacedConfigValuesAreInheritedCorrectly",
        project: 'aws:region: us-west-1\npulumi:disable-default-providers: ["*"]\ninstanceSize: t3.micro',
        stack: "test:instanceSize: t4.large",
        values: { "test:instanceSize": "t4.large", "aws:region": "us-west-1", "pulumi:disable-default-providers": ["*"] },
    },
    {
        name: "TestLoadingStackConfigWithoutNamespacingTheProject",
        project: "aws:region: us-west-1\ninstanceSize: t3.micro",
        stack: "instanceSize: t4.large",
        values: { "test:instanceSize": "t4.large", "aws:region": "us-west-1" },
    },
    {
        name: "TestUntypedProjectConfigValuesAreNotValidated",
        project: "instanceSize: t3.micro\naws:region: us-west-1",
        stack: "instanceSize: 9999\naws:region: 42",
        values: { "test:instanceSize": 9999, "aws:region": 42 },
    },
    {
        name: "TestUntypedProjectConfigValuesWithOnlyDefaultOrOnlyValue",
        project: "instanceSize:\n  default: t3.micro\nregion:\n  value: us-west-1",
        stack: "aws:answer: 42",
        values: { "test:instanceSize": "t3.micro", "test:region": "us-west-1", "aws:answer": 42 },
    },
    {
        name: "TestUntypedStackConfigValuesDoNeedProjectDeclaration",
        project: "createVpc: true",
        stack: "instanceSize: 42",
        values: { "test:instanceSize": 42, "test:createVpc": true },
    },
    {
        name: "TestUntypedProjectConfigObjectValuesPassedDownToStack",
        project: "instanceSize:\n  value:\n    hello: world\naws:config:\n  value:\n    region: us-west-1",
        stack: "aws:whatever: 42",
        values: { "test:instanceSize": { hello: "world" }, "aws:config": { region: "us-west-1" }, "aws:whatever": 42 },
    },
    {
        name: "TestStackConfigErrorsWhenStackValueIsNotCorrectlyTyped",
        project: "values:\n  type: array\n  items:\n    type: string\n  default: [value]",
        stack: "test:values: someValue",
        problems: cli("Stack 'dev' with configuration key 'values' must be of type 'array<string>'"),
    },
    { name: "TestStackConfigIntegerTypeIsCorrectlyValidated (20)", project: "importantNumber:\n  type: integer", stack: "test:importantNumber: 20" },
    {
        name: "TestStackConfigIntegerTypeIsCorrectlyValidated (hello)",
        project: "importantNumber:\n  type: integer",
        stack: "test:importantNumber: hello",
        problems: cli("Stack 'dev' with configuration key 'importantNumber' must be of type 'integer'"),
    },
    {
        name: "TestStackConfigErrorsWhenMissingStackValueForConfigTypeWithNoDefault",
        project: "values:\n  type: array\n  items:\n    type: string",
        stack: "",
        problems: cli("Stack 'dev' is missing configuration value 'values'"),
    },
    {
        name: "TestStackConfigErrorsWhenMissingTwoStackValueForConfigTypeWithNoDefault",
        project: "another:\n  type: string\nvalues:\n  type: array\n  items:\n    type: string",
        stack: "",
        problems: cli("Stack 'dev' is missing configuration values 'another' and 'values'"),
    },
    {
        name: "TestStackConfigErrorsWhenMissingMultipleStackValueForConfigTypeWithNoDefault",
        project: "hello:\n  type: integer\nvalues:\n  type: array\n  items:\n    type: string\nworld:\n  type: string",
        stack: "",
        problems: cli("Stack 'dev' is missing configuration values 'hello', 'values' and 'world'"),
    },
    { name: "TestStackConfigDoesNotErrorWhenProjectHasNotDefinedConfig", project: "", stack: "hello: 21\nworld: 42\nanother: 42" },
    { name: "TestStackConfigSecretIsCorrectlyValidated (secure)", project: "importantNumber:\n  type: integer\n  secret: true", stack: "test:importantNumber:\n  secure: MjA=" },
    {
        name: "TestStackConfigSecretIsCorrectlyValidated (plain)",
        project: "importantNumber:\n  type: integer\n  secret: true",
        stack: "test:importantNumber: 20",
        problems: cli("Stack 'dev' with configuration key 'importantNumber' must be encrypted as it's secret"),
    },
    { name: "TestStackConfigUInt64", project: "", stack: "test:instanceSize: 18446744073709551615" },
    { name: "TestProjectValidationSucceedsForObjectConfigType", project: "example:\n  type: object\n  default:\n    hello: world", stack: "" },
    {
        name: "TestProjectValidationFailsForIncorrectDefaultValueType (integer)",
        project: "instanceSize:\n  type: integer\n  default: hello",
        stack: "",
        problems: cli("The default value specified for configuration key 'instanceSize' is not of the expected type 'integer'"),
    },
    {
        name: "TestProjectValidationFailsForIncorrectDefaultValueType (array<array<string>>)",
        project: "values:\n  type: array\n  items:\n    type: array\n    items:\n      type: string\n  default: [hello]",
        stack: "",
        problems: cli("The default value specified for configuration key 'values' is not of the expected type 'array<array<string>>'"),
    },
    {
        name: "TestProjectValidationSucceedsForCorrectDefaultValueType",
        project: "a:\n  type: integer\n  default: 1\nb:\n  type: array\n  items:\n    type: array\n    items:\n      type: string\n  default: [[hello]]",
        stack: "",
    },
    {
        name: "TestNamespacedProjectConfigShouldNotBeExplicitlyTyped",
        project: "aws:region:\n  type: string\n  value:\n    region: us-west-1",
        stack: "",
        problems: cli("Configuration key 'aws:region' is not namespaced by the project and should not define a type"),
    },
    {
        name: "TestProjectConfigCannotHaveBothValueAndDefault",
        project: "instanceSize:\n  type: string\n  default: t3.micro\n  value: t4.large",
        stack: "",
        problems: cli("project config 'instanceSize' cannot have both a 'default' and 'value' attribute"),
    },
    {
        name: "TestProjectConfigCannotBeTypedArrayWithoutItems",
        project: "instanceSize:\n  type: array\n  default: [t3.micro, t4.large]",
        stack: "",
        problems: cli("The configuration key 'instanceSize' declares an array but does not specify the underlying type via the 'items' attribute"),
    },
    {
        name: "TestNamespacedProjectConfigShouldNotBeProvideDefault",
        project: "aws:region:\n  default: us-west-1",
        stack: "",
        problems: cli("Configuration key 'aws:region' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?"),
    },
    // The cases below follow from the same code paths; none has a test of its own in the CLI.
    { name: "a quoted number is an integer", project: "n:\n  type: integer", stack: 'n: "3"' },
    { name: "3.5 is no integer", project: "n:\n  type: integer", stack: "n: 3.5", problems: cli("Stack 'dev' with configuration key 'n' must be of type 'integer'") },
    { name: "an empty value is no integer", project: "n:\n  type: integer", stack: "n:", problems: cli("Stack 'dev' with configuration key 'n' must be of type 'integer'") },
    { name: "a number or a boolean is a string", project: "s:\n  type: string\nt:\n  type: string", stack: "s: 42\nt: true" },
    { name: "a list is no string", project: "s:\n  type: string", stack: "s: [a]", problems: cli("Stack 'dev' with configuration key 's' must be of type 'string'") },
    { name: '"false" and True are booleans', project: "b:\n  type: boolean\nc:\n  type: boolean", stack: 'b: "false"\nc: True' },
    { name: "yes is no boolean", project: "b:\n  type: boolean", stack: "b: yes", problems: cli("Stack 'dev' with configuration key 'b' must be of type 'boolean'") },
    { name: 'a list item "2" is an integer', project: "a:\n  type: array\n  items:\n    type: integer", stack: 'a: [1, "2"]' },
    { name: "a number in a list is no string", project: "a:\n  type: array\n  items:\n    type: string", stack: "a: [1]", problems: cli("Stack 'dev' with configuration key 'a' must be of type 'array<string>'") },
    { name: "a mapping is an object", project: "o:\n  type: object\np:\n  type: object", stack: "o:\n  x: 1\np: {}" },
    { name: "a scalar is no object", project: "o:\n  type: object", stack: "o: foo", problems: cli("Stack 'dev' with configuration key 'o' must be of type 'object'") },
    {
        name: "a secret's default is applied in plain text, so it always fails",
        project: "k:\n  type: string\n  secret: true\n  default: x",
        stack: "",
        problems: cli("Stack 'dev' with configuration key 'k' must be encrypted as it's secret"),
    },
    { name: "an untyped secret is not enforced", project: "k:\n  secret: true", stack: "k: plain" },
    { name: "an untyped declaration without a default is required", project: "k:\n  description: d", stack: "", problems: cli("Stack 'dev' is missing configuration value 'k'") },
    { name: "a project value is checked against its type", project: "k:\n  type: integer\n  value: x", stack: "", problems: cli("Stack 'dev' with configuration key 'k' must be of type 'integer'") },
    {
        name: "a foreign key needs a value",
        project: "aws:region:\n  description: the region",
        stack: "",
        problems: cli("Configuration key 'aws:region' is namespaced and must provide an attribute 'value'"),
    },
    {
        name: "a key of three parts that is not ns:config:name does not parse",
        project: "",
        stack: "a:b:c: 1",
        problems: cli("could not parse a:b:c as a configuration key (configuration keys should be of the form `<namespace>:<name>`)"),
    },
    {
        name: "the CLI would stop at the first; all are reported",
        project: "a:\n  type: integer\nb:\n  type: boolean\nc:\n  type: string",
        stack: "a: x\nb: maybe",
        problems: [
            "Stack 'dev' is missing configuration value 'c'",
            "Stack 'dev' with configuration key 'a' must be of type 'integer'",
            "Stack 'dev' with configuration key 'b' must be of type 'boolean'",
        ],
    },
];

describe("the Pulumi CLI's project-config rules", function () {
    for (const c of CASES) {
        it(c.name, function () {
            const result = check(c.project, c.stack);
            assert.deepEqual(result.problems, c.problems ?? []);
            if (c.values) {
                assert.deepEqual(result.values, c.values);
            }
        });
    }

    it("names nested array types as InferFullTypeName does", function () {
        assert.equal(fullTypeName("array", { type: "array", items: { type: "integer" } }), "array<array<integer>>");
        assert.equal(fullTypeName("string", undefined), "string");
    });

    it("reads integers as Go's strconv.Atoi does: sign, digits, 64 bits", function () {
        const accepted = ["007", "-5", "+5", "9223372036854775807"];
        const refused = ["", " 5", "5.0", "1_000", "0x10", "9223372036854775808"];
        assert.deepEqual(accepted.filter((v) => valueHasType("integer", undefined, v)), accepted);
        assert.deepEqual(refused.filter((v) => valueHasType("integer", undefined, v)), []);
    });

    it("refuses a declaration the project schema does not allow, naming the attribute", function () {
        const { problems } = check("k:\n  type: number\n  requried: true", "");
        assert.deepEqual(problems, [
            "#/config/k: additionalProperties 'requried' not allowed; the allowed attributes are 'default', 'description', 'items', 'secret', 'type' and 'value'",
            '#/config/k/type: value must be one of "string", "integer", "boolean", "array", "object"',
        ]);
    });
});

describe("the shipped project and stacks under the CLI's rules", function () {
    const projectYaml = parse(readFileSync(join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as { name: string; config?: unknown };
    const project = readProjectConfig(projectYaml.name, projectYaml.config);

    it("Pulumi.yaml's config block passes Project.Validate", function () {
        assert.deepEqual(project.problems, []);
        assert.ok(Object.keys(project.declarations).length > 0, "Pulumi.yaml declares no config: nothing is checked");
    });

    const stackFiles = readdirSync(PROJECT_DIR).filter((file) => /^Pulumi\.[^.]+\.yaml$/.test(file));
    it("there are stack files to check", function () {
        assert.ok(stackFiles.length > 0);
    });
    for (const file of stackFiles) {
        it(`${file} passes ValidateStackConfigAndApplyProjectConfig`, function () {
            const stack = file.slice("Pulumi.".length, -".yaml".length);
            const config = (parse(readFileSync(join(PROJECT_DIR, file), "utf8")) as { config?: Record<string, unknown> }).config ?? {};
            assert.deepEqual(applyProjectConfig(projectYaml.name, stack, project.declarations, config).problems, []);
        });
    }

    it("every declared key of the project without a default is one every stack must set", function () {
        const required = Object.entries(project.declarations).filter(([, d]) => d.default === undefined && d.value === undefined);
        for (const [key] of required) {
            const { problems } = applyProjectConfig(projectYaml.name, "probe", project.declarations, {});
            assert.ok(problems.some((p) => p.includes(`'${key}'`)), `${key} is declared without a default but an empty stack is not refused for it`);
        }
    });
});
