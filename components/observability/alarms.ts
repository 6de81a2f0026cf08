/**
 * What Prometheus cannot see, watched by CloudWatch: the managed database and cache from
 * AWS's side, and the NAT gateways. Everything notifies the alert topic, where Alertmanager's
 * critical alerts also go.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Context, key } from "../shared/context";
import { AlertSubscriptionArgs, AlertThresholdsArgs, DatabaseTargetArgs } from "./args";
import { alertKeyPolicy, alertTopicPolicy } from "./policies";

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

export interface AlertTopic {
    topic: aws.sns.Topic;
    key: aws.kms.Key;
}

/** The encrypted topic every alert and alarm goes to, with its subscribers. */
export function alertTopic(name: string, subscriptions: readonly AlertSubscriptionArgs[], ctx: Context): AlertTopic {
    const topicKey = key(`${name}-alerts`, `Encrypts the alert topic of ${name}`, alertKeyPolicy, ctx);
    const topic = new aws.sns.Topic(`${name}-alerts`, { kmsMasterKeyId: topicKey.arn, tags: ctx.tags({ Name: `${name}-alerts` }) }, { parent: ctx.parent });
    new aws.sns.TopicPolicy(
        `${name}-alerts`,
        { arn: topic.arn, policy: pulumi.all([topic.arn, ctx.scope]).apply(([arn, scope]) => JSON.stringify(alertTopicPolicy(arn, scope))) },
        { parent: ctx.parent },
    );
    subscriptions.forEach((s, i) => {
        new aws.sns.TopicSubscription(`${name}-alerts-${i + 1}`, { topic: topic.arn, protocol: s.protocol, endpoint: s.endpoint }, { parent: ctx.parent });
    });
    return { topic, key: topicKey };
}

interface AlarmSpec {
    alarm: string;
    description: string;
    namespace: string;
    metricName: string;
    dimensions: Record<string, pulumi.Input<string>>;
    statistic: "Average" | "Minimum" | "Maximum" | "Sum";
    comparisonOperator: "GreaterThanThreshold" | "LessThanThreshold";
    threshold: number;
    periodSeconds: number;
    /** Breaching periods out of `evaluationPeriods` before the alarm fires. */
    datapointsToAlarm: number;
    evaluationPeriods: number;
}

export interface AlarmSettings {
    thresholds: AlertThresholdsArgs;
    database: DatabaseTargetArgs;
    natGatewayIds: readonly pulumi.Input<string>[];
    runbookBaseUrl: string;
}

/** The alarms, as data: one per watched thing and condition. */
export function alarmSpecs(settings: AlarmSettings): AlarmSpec[] {
    const t = settings.thresholds;
    const db = settings.database;
    const rds = (alarm: string, instance: pulumi.Input<string>, spec: Omit<AlarmSpec, "alarm" | "namespace" | "dimensions">): AlarmSpec => ({
        alarm,
        namespace: "AWS/RDS",
        dimensions: { DBInstanceIdentifier: instance },
        ...spec,
    });
    const fiveMinutes = { periodSeconds: 300, datapointsToAlarm: 3, evaluationPeriods: 3 };
    const oneMinute = { periodSeconds: 60, datapointsToAlarm: 5, evaluationPeriods: 5 };
    return [
        rds("RdsCpuHigh", db.instanceIdentifier, {
            description: `PostgreSQL CPU above ${t.databaseCpuPercent}% for 15 minutes.`,
            metricName: "CPUUtilization",
            statistic: "Average",
            comparisonOperator: "GreaterThanThreshold",
            threshold: t.databaseCpuPercent,
            ...fiveMinutes,
        }),
        rds("RdsFreeStorageLow", db.instanceIdentifier, {
            description: `PostgreSQL free storage below ${t.diskFreePercent}% of the ${db.allocatedStorageGiB} GiB allocated.`,
            metricName: "FreeStorageSpace",
            statistic: "Minimum",
            comparisonOperator: "LessThanThreshold",
            threshold: Math.round((db.allocatedStorageGiB * GIB * t.diskFreePercent) / 100),
            ...oneMinute,
        }),
        rds("RdsFreeableMemoryLow", db.instanceIdentifier, {
            description: `PostgreSQL freeable memory below ${t.databaseFreeableMemoryMiB} MiB for 15 minutes.`,
            metricName: "FreeableMemory",
            statistic: "Minimum",
            comparisonOperator: "LessThanThreshold",
            threshold: t.databaseFreeableMemoryMiB * MIB,
            ...fiveMinutes,
        }),
        rds("RdsConnectionsHigh", db.instanceIdentifier, {
            description: `More than ${t.databaseConnections} PostgreSQL connections for 5 minutes.`,
            metricName: "DatabaseConnections",
            statistic: "Maximum",
            comparisonOperator: "GreaterThanThreshold",
            threshold: t.databaseConnections,
            ...oneMinute,
        }),
        ...db.replicaIdentifiers.map((replica) =>
            rds("RdsReplicaLagHigh", replica, {
                description: `Read replica more than ${t.replicaLagSeconds} s behind its source for 5 minutes.`,
                metricName: "ReplicaLag",
                statistic: "Maximum",
                comparisonOperator: "GreaterThanThreshold",
                threshold: t.replicaLagSeconds,
                ...oneMinute,
            }),
        ),
        ...db.redisNodeIds.flatMap((node): AlarmSpec[] => [
            {
                alarm: "ElastiCacheMemoryHigh",
                description: `Redis node memory above ${t.redisMemoryPercent}% of maxmemory for 5 minutes.`,
                namespace: "AWS/ElastiCache",
                dimensions: { CacheClusterId: node },
                metricName: "DatabaseMemoryUsagePercentage",
                statistic: "Maximum",
                comparisonOperator: "GreaterThanThreshold",
                threshold: t.redisMemoryPercent,
                ...oneMinute,
            },
            {
                alarm: "ElastiCacheEvictions",
                description: `More than ${t.cacheEvictions} keys evicted from a Redis node in 5 minutes.`,
                namespace: "AWS/ElastiCache",
                dimensions: { CacheClusterId: node },
                metricName: "Evictions",
                statistic: "Sum",
                comparisonOperator: "GreaterThanThreshold",
                threshold: t.cacheEvictions,
                periodSeconds: 300,
                datapointsToAlarm: 1,
                evaluationPeriods: 1,
            },
        ]),
        ...settings.natGatewayIds.map(
            (gateway): AlarmSpec => ({
                alarm: "NatGatewayPortAllocationErrors",
                description: "A NAT gateway could not allocate a source port: connections from private subnets are failing.",
                namespace: "AWS/NATGateway",
                dimensions: { NatGatewayId: gateway },
                metricName: "ErrorPortAllocation",
                statistic: "Sum",
                comparisonOperator: "GreaterThanThreshold",
                threshold: 0,
                periodSeconds: 300,
                datapointsToAlarm: 1,
                evaluationPeriods: 1,
            }),
        ),
    ];
}

/** Creates the alarms; each notifies the topic when it fires and when it clears. */
export function cloudWatchAlarms(name: string, settings: AlarmSettings, topicArn: pulumi.Output<string>, ctx: Context): aws.cloudwatch.MetricAlarm[] {
    const counts = new Map<string, number>();
    return alarmSpecs(settings).map((spec) => {
        const n = (counts.get(spec.alarm) ?? 0) + 1;
        counts.set(spec.alarm, n);
        // Kebab-case of the alarm and its ordinal: stable while the watched things keep their order.
        const resourceName = `${name}-${spec.alarm.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase()}-${n}`;
        return new aws.cloudwatch.MetricAlarm(
            resourceName,
            {
                name: resourceName,
                alarmDescription: `${spec.description} Runbook: ${settings.runbookBaseUrl}#${spec.alarm.toLowerCase()}`,
                namespace: spec.namespace,
                metricName: spec.metricName,
                dimensions: spec.dimensions,
                statistic: spec.statistic,
                comparisonOperator: spec.comparisonOperator,
                threshold: spec.threshold,
                period: spec.periodSeconds,
                evaluationPeriods: spec.evaluationPeriods,
                datapointsToAlarm: spec.datapointsToAlarm,
                // No data is not an outage here: a stopped replica or an idle gateway publishes nothing.
                treatMissingData: "notBreaching",
                alarmActions: [topicArn],
                okActions: [topicArn],
                tags: ctx.tags({ Name: resourceName, alarm: spec.alarm }),
            },
            { parent: ctx.parent },
        );
    });
}
