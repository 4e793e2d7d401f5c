import * as assert from "assert/strict";
import { StringFormat } from "../../config/dsl";
import * as fmt from "../../config/formats";

describe("config formats", () => {
    const cases: [string, StringFormat, string[], string[]][] = [
        ["cidr", fmt.cidr, ["10.0.0.0/16", "0.0.0.0/0", "203.0.113.16/28"], ["10.0.0.1/16", "10.0.0.0/33", "300.0.0.0/8", "10.0.0.0"]],
        ["gitUrl", fmt.gitUrl, ["https://github.com/footanalytics/gitops-config", "git@github.com:footanalytics/gitops-config.git", "ssh://git@github.com/footanalytics/gitops-config"], ["http://github.com/x/y", "github.com/x/y", "https://user:pass@github.com/x/y"]],
        ["kubernetesVersion", fmt.kubernetesVersion, ["1.35", "1.33", "1.28"], ["1.33.2", "v1.35", "1.99", "1.36", "2.0", "1.27"]],
        ["duration", fmt.duration, ["5s", "3m", "1h30m", "250ms"], ["5", "3 m", "1d", ""]],
        ["cron", fmt.cron, ["0 12 * * 6", "*/15 * * * *", "0 9-17 * * mon-fri", "30 18 1,15 * *"], ["0 12 * *", "60 12 * * 6", "0 24 * * *", "0 12 * * 8", "*/0 * * * *", "0 12 * * funday"]],
        ["dns1123Label", fmt.dns1123Label, ["api-gateway", "a", "ml2"], ["API", "-a", "a-", "a_b", "a".repeat(64)]],
        ["cpuQuantity", fmt.cpuQuantity, ["250m", "1", "1.5"], ["250M", "1c", "-1"]],
        ["memoryQuantity", fmt.memoryQuantity, ["256Mi", "1Gi", "512M"], ["256mi", "1.5Gi", "Gi"]],
        ["iamRoleArn", fmt.iamRoleArn, ["arn:aws:iam::123456789012:role/platform-admin"], ["arn:aws:iam::123:role/x", "arn:aws:iam::123456789012:user/x"]],
        ["gitRevision", fmt.gitRevision, ["HEAD", "main", "release-2026.11", "v1.2.3", "0123456789abcdef0123456789abcdef01234567"], ["/main", "a..b", "main/", "x.lock"]],
        ["repoPath", fmt.repoPath, ["overlays/staging/api-gateway"], ["/overlays", "overlays/../secrets", ""]],
        ["imageTag", fmt.imageTag, ["v3.4.2", "3.4"], ["latest", "v3 4", ""]],
    ];
    for (const [name, format, good, bad] of cases) {
        it(`accepts valid and refuses invalid values for ${name}`, () => {
            for (const v of good) assert.equal(format.check(v), undefined, `${name} should accept ${JSON.stringify(v)}`);
            for (const v of bad) assert.equal(typeof format.check(v), "string", `${name} should refuse ${JSON.stringify(v)}`);
        });
    }

    it("explains host bits in a CIDR", () => {
        assert.equal(fmt.cidr.check("10.0.0.1/16"), 'has host bits set beyond /16; must be an IPv4 CIDR block such as "10.0.0.0/16"');
    });

    it("names the cron field that is wrong", () => {
        assert.equal(fmt.cron.check("0 25 * * 6"), 'must be a cron schedule; its hour field "25" is not valid (0-23, *, lists, ranges, steps)');
    });

    it("converts durations and quantities", () => {
        assert.equal(fmt.durationSeconds("1h30m"), 5400);
        assert.equal(fmt.durationSeconds("3m"), 180);
        assert.equal(fmt.cpuMillis("1.5"), 1500);
        assert.equal(fmt.cpuMillis("250m"), 250);
        assert.equal(fmt.memoryBytes("1Gi"), 1024 ** 3);
        assert.equal(fmt.memoryBytes("512M"), 512e6);
    });

    it("counts the addresses a set of CIDR blocks covers, overlaps once", () => {
        assert.equal(fmt.cidrAddressCount([]), 0);
        assert.equal(fmt.cidrAddressCount(["0.0.0.0/0"]), 2 ** 32);
        assert.equal(fmt.cidrAddressCount(["0.0.0.0/1", "128.0.0.0/1"]), 2 ** 32);
        assert.equal(fmt.cidrAddressCount(["10.0.0.0/8", "10.1.0.0/16", "10.0.0.0/8"]), 2 ** 24);
        assert.equal(fmt.cidrAddressCount(["203.0.113.0/24", "198.51.100.16/28", "203.0.113.7/32"]), 256 + 16);
        assert.equal(fmt.cidrCoverageProblem(["10.0.0.0/8"]), undefined);
    });
});
