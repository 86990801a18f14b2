// AWS managed policies faasbox offers to attach (arn:aws:iam::aws:policy/...), with AWS's own
// documents, ids, versions and dates. A leaf: data only.
//
// Documents, ids, default versions and dates are AWS's, as GetPolicy and GetPolicyVersion answered
// them (the versions current in March 2026, as collected by github.com/zoph-io/MAMIP); descriptions are the
// AWS Managed Policy Reference's. Statements naming services faasbox does not speak are kept as AWS
// wrote them (they simply allow nothing here), except in ReadOnlyAccess (below).

/** An AWS managed policy as GetPolicy and GetPolicyVersion describe it. */
export interface ManagedPolicy {
  policyName: string;
  /** `ANPA...`, AWS's id of the policy. */
  policyId: string;
  arn: string;
  /** `/` or `/service-role/`, as in the ARN. */
  path: string;
  description: string;
  /** The version whose document applies (`v1`, `v7`, ...). */
  defaultVersionId: string;
  /** The default version's document, JSON text. */
  document: string;
  /** ISO 8601, UTC. */
  createDate: string;
  /** When the default version was created, ISO 8601, UTC. */
  updateDate: string;
}

const policy = (fields: Omit<ManagedPolicy, 'document'>, document: object): ManagedPolicy => ({ ...fields, document: JSON.stringify(document, null, 2) });

const POLICIES: ManagedPolicy[] = [
  policy({
    policyName: "AWSLambdaBasicExecutionRole",
    policyId: "ANPAJNCQGXC42545SKXIK",
    arn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    path: "/service-role/",
    description: "Provides write permissions to CloudWatch Logs.",
    defaultVersionId: "v1",
    createDate: "2015-04-09T15:03:43Z",
    updateDate: "2015-04-09T15:03:43Z",
  }, {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Effect": "Allow",
        "Action": [
          "logs:CreateLogGroup",
          "logs:CreateLogStream",
          "logs:PutLogEvents"
        ],
        "Resource": "*"
      }
    ]
  }),
  policy({
    policyName: "AWSLambdaSQSQueueExecutionRole",
    policyId: "ANPAJFWJZI6JNND4TSELK",
    arn: "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
    path: "/service-role/",
    description: "Provides receive message, delete message, and read attribute access to SQS queues, and write permissions to CloudWatch logs.",
    defaultVersionId: "v1",
    createDate: "2018-06-14T21:50:45Z",
    updateDate: "2018-06-14T21:50:45Z",
  }, {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Effect": "Allow",
        "Action": [
          "sqs:ReceiveMessage",
          "sqs:DeleteMessage",
          "sqs:GetQueueAttributes",
          "logs:CreateLogGroup",
          "logs:CreateLogStream",
          "logs:PutLogEvents"
        ],
        "Resource": "*"
      }
    ]
  }),
  policy({
    policyName: "AWSXRayDaemonWriteAccess",
    policyId: "ANPAIOE47HSUE5AVBNEDM",
    arn: "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
    path: "/",
    description: "Allow the AWS X-Ray Daemon to relay raw trace segments data to the service's API and retrieve sampling data (rules, targets, etc.) to be used by the X-Ray SDK.",
    defaultVersionId: "v2",
    createDate: "2018-08-28T23:00:33Z",
    updateDate: "2024-02-13T21:58:30Z",
  }, {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Sid": "AWSXRayDaemonWriteAccess",
        "Effect": "Allow",
        "Action": [
          "xray:PutTraceSegments",
          "xray:PutTelemetryRecords",
          "xray:GetSamplingRules",
          "xray:GetSamplingTargets",
          "xray:GetSamplingStatisticSummaries"
        ],
        "Resource": [
          "*"
        ]
      }
    ]
  }),
  policy({
    policyName: "AWSLambdaRole",
    policyId: "ANPAJX4DPCRGTC4NFDUXI",
    arn: "arn:aws:iam::aws:policy/service-role/AWSLambdaRole",
    path: "/service-role/",
    description: "Default policy for AWS Lambda service role.",
    defaultVersionId: "v1",
    createDate: "2015-02-06T18:41:28Z",
    updateDate: "2015-02-06T18:41:28Z",
  }, {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Effect": "Allow",
        "Action": [
          "lambda:InvokeFunction"
        ],
        "Resource": [
          "*"
        ]
      }
    ]
  }),
  policy({
    policyName: "AWSLambda_FullAccess",
    policyId: "ANPAZKAPJZG4OXQPYWZ5D",
    arn: "arn:aws:iam::aws:policy/AWSLambda_FullAccess",
    path: "/",
    description: "Grants full access to AWS Lambda service, AWS Lambda console features, and other related AWS services.",
    defaultVersionId: "v7",
    createDate: "2020-11-17T21:14:08Z",
    updateDate: "2026-02-12T18:00:51Z",
  }, {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Effect": "Allow",
        "Action": [
          "cloudformation:DescribeStacks",
          "cloudformation:ListStackResources",
          "cloudwatch:ListMetrics",
          "cloudwatch:GetMetricData",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeSubnets",
          "ec2:DescribeVpcs",
          "kms:DescribeKey",
          "kms:ListAliases",
          "iam:GetPolicy",
          "iam:GetPolicyVersion",
          "iam:GetRole",
          "iam:GetRolePolicy",
          "iam:ListAttachedRolePolicies",
          "iam:ListRolePolicies",
          "iam:ListRoles",
          "lambda:*",
          "logs:DescribeLogGroups",
          "states:DescribeStateMachine",
          "states:ListStateMachines",
          "tag:GetResources",
          "xray:GetTraceSummaries",
          "xray:BatchGetTraces"
        ],
        "Resource": "*"
      },
      {
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": "*",
        "Condition": {
          "StringEquals": {
            "iam:PassedToService": "lambda.amazonaws.com"
          }
        }
      },
      {
        "Effect": "Allow",
        "Action": [
          "logs:DescribeLogStreams",
          "logs:GetLogEvents",
          "logs:FilterLogEvents",
          "logs:StartLiveTail",
          "logs:StopLiveTail"
        ],
        "Resource": "arn:aws:logs:*:*:log-group:/aws/lambda/*"
      },
      {
        "Effect": "Allow",
        "Action": "iam:CreateServiceLinkedRole",
        "Resource": "arn:aws:iam::*:role/aws-service-role/lambda.amazonaws.com/AWSServiceRoleForLambda",
        "Condition": {
          "StringEquals": {
            "iam:AWSServiceName": "lambda.amazonaws.com"
          }
        }
      }
    ]
  }),
  policy({
    policyName: "AWSLambda_ReadOnlyAccess",
    policyId: "ANPAZKAPJZG4IERNVMNPE",
    arn: "arn:aws:iam::aws:policy/AWSLambda_ReadOnlyAccess",
    path: "/",
    description: "Grants read-only access to AWS Lambda service, AWS Lambda console features, and other related AWS services.",
    defaultVersionId: "v5",
    createDate: "2020-11-17T21:10:32Z",
    updateDate: "2026-02-12T18:02:55Z",
  }, {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Effect": "Allow",
        "Action": [
          "cloudformation:DescribeStacks",
          "cloudformation:ListStacks",
          "cloudformation:ListStackResources",
          "cloudwatch:GetMetricData",
          "cloudwatch:ListMetrics",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeSubnets",
          "ec2:DescribeVpcs",
          "kms:ListAliases",
          "iam:GetPolicy",
          "iam:GetPolicyVersion",
          "iam:GetRole",
          "iam:GetRolePolicy",
          "iam:ListAttachedRolePolicies",
          "iam:ListRolePolicies",
          "iam:ListRoles",
          "logs:DescribeLogGroups",
          "lambda:Get*",
          "lambda:List*",
          "states:DescribeStateMachine",
          "states:ListStateMachines",
          "tag:GetResources",
          "xray:GetTraceSummaries",
          "xray:BatchGetTraces"
        ],
        "Resource": "*"
      },
      {
        "Effect": "Allow",
        "Action": [
          "logs:DescribeLogStreams",
          "logs:GetLogEvents",
          "logs:FilterLogEvents",
          "logs:StartQuery",
          "logs:StopQuery",
          "logs:DescribeQueries",
          "logs:GetLogGroupFields",
          "logs:GetLogRecord",
          "logs:GetQueryResults",
          "logs:StartLiveTail",
          "logs:StopLiveTail"
        ],
        "Resource": "arn:aws:logs:*:*:log-group:/aws/lambda/*"
      }
    ]
  }),
  policy({
    policyName: "AWSLambdaVPCAccessExecutionRole",
    policyId: "ANPAJVTME3YLVNL72YR2K",
    arn: "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
    path: "/service-role/",
    description: "Provides minimum permissions for a Lambda function to execute while accessing a resource within a VPC - create, describe, delete network interfaces and write permissions to CloudWatch Logs.",
    defaultVersionId: "v3",
    createDate: "2016-02-11T23:15:26Z",
    updateDate: "2024-01-05T22:38:26Z",
  }, {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Sid": "AWSLambdaVPCAccessExecutionPermissions",
        "Effect": "Allow",
        "Action": [
          "logs:CreateLogGroup",
          "logs:CreateLogStream",
          "logs:PutLogEvents",
          "ec2:CreateNetworkInterface",
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribeSubnets",
          "ec2:DeleteNetworkInterface",
          "ec2:AssignPrivateIpAddresses",
          "ec2:UnassignPrivateIpAddresses"
        ],
        "Resource": "*"
      }
    ]
  }),
  policy({
    policyName: "CloudWatchLogsFullAccess",
    policyId: "ANPAJ3ZGNWK2R5HW5BQFO",
    arn: "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess",
    path: "/",
    description: "Provides full access to CloudWatch Logs",
    defaultVersionId: "v8",
    createDate: "2015-02-06T18:40:02Z",
    updateDate: "2026-02-12T18:00:33Z",
  }, {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Sid": "CloudWatchLogsFullAccess",
        "Effect": "Allow",
        "Action": [
          "logs:*",
          "cloudwatch:GenerateQuery",
          "cloudwatch:GenerateQueryResultsSummary",
          "observabilityadmin:GetS3TableIntegration",
          "observabilityadmin:ListS3TableIntegrations",
          "observabilityadmin:ListTelemetryPipelines"
        ],
        "Resource": "*"
      }
    ]
  }),
  policy({
    policyName: "CloudWatchLogsReadOnlyAccess",
    policyId: "ANPAJ2YIYDYSNNEHK3VKW",
    arn: "arn:aws:iam::aws:policy/CloudWatchLogsReadOnlyAccess",
    path: "/",
    description: "Provides read only access to CloudWatch Logs",
    defaultVersionId: "v12",
    createDate: "2015-02-06T18:40:03Z",
    updateDate: "2026-02-12T17:59:13Z",
  }, {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Sid": "CloudWatchLogsReadOnlyAccess",
        "Effect": "Allow",
        "Action": [
          "logs:Describe*",
          "logs:Get*",
          "logs:List*",
          "logs:StartQuery",
          "logs:StopQuery",
          "logs:TestMetricFilter",
          "logs:FilterLogEvents",
          "logs:StartLiveTail",
          "logs:StopLiveTail",
          "cloudwatch:GenerateQuery",
          "cloudwatch:GenerateQueryResultsSummary",
          "observabilityadmin:ListS3TableIntegrations",
          "observabilityadmin:GetS3TableIntegration",
          "observabilityadmin:ListTelemetryPipelines"
        ],
        "Resource": "*"
      }
    ]
  }),
  policy({
    policyName: "AmazonSQSFullAccess",
    policyId: "ANPAI65L554VRJ33ECQS6",
    arn: "arn:aws:iam::aws:policy/AmazonSQSFullAccess",
    path: "/",
    description: "Provides full access to Amazon SQS via the AWS Management Console.",
    defaultVersionId: "v1",
    createDate: "2015-02-06T18:41:07Z",
    updateDate: "2015-02-06T18:41:07Z",
  }, {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Effect": "Allow",
        "Action": [
          "sqs:*"
        ],
        "Resource": "*"
      }
    ]
  }),
  policy({
    policyName: "AmazonSQSReadOnlyAccess",
    policyId: "ANPAIUGSSQY362XGCM6KW",
    arn: "arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess",
    path: "/",
    description: "Provides read only access to Amazon SQS via the AWS Management Console.",
    defaultVersionId: "v4",
    createDate: "2015-02-06T18:41:08Z",
    updateDate: "2024-05-24T18:16:44Z",
  }, {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Sid": "AmazonSQSReadOnlyAccess",
        "Effect": "Allow",
        "Action": [
          "sqs:GetQueueAttributes",
          "sqs:GetQueueUrl",
          "sqs:ListDeadLetterSourceQueues",
          "sqs:ListQueues",
          "sqs:ListMessageMoveTasks",
          "sqs:ListQueueTags"
        ],
        "Resource": "*"
      }
    ]
  }),
  policy({
    policyName: "AmazonEventBridgeFullAccess",
    policyId: "ANPAZKAPJZG4BUM4GCASI",
    arn: "arn:aws:iam::aws:policy/AmazonEventBridgeFullAccess",
    path: "/",
    description: "Provides full access to Amazon EventBridge.",
    defaultVersionId: "v7",
    createDate: "2019-07-11T14:08:55Z",
    updateDate: "2026-02-12T17:58:25Z",
  }, {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Sid": "EventBridgeActions",
        "Effect": "Allow",
        "Action": [
          "events:*",
          "schemas:*",
          "scheduler:*",
          "pipes:*"
        ],
        "Resource": "*"
      },
      {
        "Sid": "IAMCreateServiceLinkedRoleForApiDestinations",
        "Effect": "Allow",
        "Action": "iam:CreateServiceLinkedRole",
        "Resource": "arn:aws:iam::*:role/aws-service-role/apidestinations.events.amazonaws.com/AWSServiceRoleForAmazonEventBridgeApiDestinations",
        "Condition": {
          "StringEquals": {
            "iam:AWSServiceName": "apidestinations.events.amazonaws.com"
          }
        }
      },
      {
        "Sid": "IAMCreateServiceLinkedRoleForAmazonEventBridgeSchemas",
        "Effect": "Allow",
        "Action": "iam:CreateServiceLinkedRole",
        "Resource": "arn:aws:iam::*:role/aws-service-role/schemas.amazonaws.com/AWSServiceRoleForSchemas",
        "Condition": {
          "StringEquals": {
            "iam:AWSServiceName": "schemas.amazonaws.com"
          }
        }
      },
      {
        "Sid": "SecretsManagerAccessForApiDestinations",
        "Effect": "Allow",
        "Action": [
          "secretsmanager:CreateSecret",
          "secretsmanager:UpdateSecret",
          "secretsmanager:DeleteSecret",
          "secretsmanager:GetSecretValue",
          "secretsmanager:PutSecretValue"
        ],
        "Resource": "arn:aws:secretsmanager:*:*:secret:events!*"
      },
      {
        "Sid": "IAMPassRoleAccessForEventBridge",
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": "arn:aws:iam::*:role/*",
        "Condition": {
          "StringLike": {
            "iam:PassedToService": "events.amazonaws.com"
          }
        }
      },
      {
        "Sid": "IAMPassRoleAccessForScheduler",
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": "arn:aws:iam::*:role/*",
        "Condition": {
          "StringLike": {
            "iam:PassedToService": "scheduler.amazonaws.com"
          }
        }
      },
      {
        "Sid": "IAMPassRoleAccessForPipes",
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": "arn:aws:iam::*:role/*",
        "Condition": {
          "StringLike": {
            "iam:PassedToService": "pipes.amazonaws.com"
          }
        }
      }
    ]
  }),
  policy({
    policyName: "AmazonEventBridgeReadOnlyAccess",
    policyId: "ANPAZKAPJZG4BDMP3LZME",
    arn: "arn:aws:iam::aws:policy/AmazonEventBridgeReadOnlyAccess",
    path: "/",
    description: "Provides read only access to Amazon EventBridge.",
    defaultVersionId: "v6",
    createDate: "2019-07-11T13:59:07Z",
    updateDate: "2022-12-01T17:02:48Z",
  }, {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Effect": "Allow",
        "Action": [
          "events:DescribeRule",
          "events:DescribeEventBus",
          "events:DescribeEventSource",
          "events:ListEventBuses",
          "events:ListEventSources",
          "events:ListRuleNamesByTarget",
          "events:ListRules",
          "events:ListTargetsByRule",
          "events:TestEventPattern",
          "events:DescribeArchive",
          "events:ListArchives",
          "events:DescribeReplay",
          "events:ListReplays",
          "events:DescribeConnection",
          "events:ListConnections",
          "events:DescribeApiDestination",
          "events:ListApiDestinations",
          "events:DescribeEndpoint",
          "events:ListEndpoints",
          "schemas:DescribeCodeBinding",
          "schemas:DescribeDiscoverer",
          "schemas:DescribeRegistry",
          "schemas:DescribeSchema",
          "schemas:ExportSchema",
          "schemas:GetCodeBindingSource",
          "schemas:GetDiscoveredSchema",
          "schemas:GetResourcePolicy",
          "schemas:ListDiscoverers",
          "schemas:ListRegistries",
          "schemas:ListSchemas",
          "schemas:ListSchemaVersions",
          "schemas:ListTagsForResource",
          "schemas:SearchSchemas",
          "scheduler:GetSchedule",
          "scheduler:GetScheduleGroup",
          "scheduler:ListSchedules",
          "scheduler:ListScheduleGroups",
          "scheduler:ListTagsForResource",
          "pipes:DescribePipe",
          "pipes:ListPipes",
          "pipes:ListTagsForResource"
        ],
        "Resource": "*"
      }
    ]
  }),
  policy({
    policyName: "AWSXrayReadOnlyAccess",
    policyId: "ANPAIH4OFXWPS6ZX6OPGQ",
    arn: "arn:aws:iam::aws:policy/AWSXrayReadOnlyAccess",
    path: "/",
    description: "AWS X-Ray read only managed policy",
    defaultVersionId: "v8",
    createDate: "2016-12-01T18:27:02Z",
    updateDate: "2024-02-14T00:35:02Z",
  }, {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Sid": "AWSXrayReadOnlyAccess",
        "Effect": "Allow",
        "Action": [
          "xray:GetSamplingRules",
          "xray:GetSamplingTargets",
          "xray:GetSamplingStatisticSummaries",
          "xray:BatchGetTraces",
          "xray:BatchGetTraceSummaryById",
          "xray:GetDistinctTraceGraphs",
          "xray:GetServiceGraph",
          "xray:GetTraceGraph",
          "xray:GetTraceSummaries",
          "xray:GetGroups",
          "xray:GetGroup",
          "xray:ListTagsForResource",
          "xray:ListResourcePolicies",
          "xray:GetTimeSeriesServiceStatistics",
          "xray:GetInsightSummaries",
          "xray:GetInsight",
          "xray:GetInsightEvents",
          "xray:GetInsightImpactGraph"
        ],
        "Resource": [
          "*"
        ]
      }
    ]
  }),
  policy({
    policyName: "AWSXrayFullAccess",
    policyId: "ANPAJQBYG45NSJMVQDB2K",
    arn: "arn:aws:iam::aws:policy/AWSXrayFullAccess",
    path: "/",
    description: "AWS X-Ray full access managed policy",
    defaultVersionId: "v2",
    createDate: "2016-12-01T18:30:55Z",
    updateDate: "2024-04-11T17:07:36Z",
  }, {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Sid": "AWSXrayFullAccess",
        "Effect": "Allow",
        "Action": [
          "xray:*"
        ],
        "Resource": [
          "*"
        ]
      }
    ]
  }),
  policy({
    policyName: "CloudWatchReadOnlyAccess",
    policyId: "ANPAJN23PDQP7SZQAE3QE",
    arn: "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess",
    path: "/",
    description: "Provides read only access to CloudWatch.",
    defaultVersionId: "v24",
    createDate: "2015-02-06T18:40:01Z",
    updateDate: "2026-02-12T18:01:50Z",
  }, {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Sid": "CloudWatchReadOnlyAccessPermissions",
        "Effect": "Allow",
        "Action": [
          "application-autoscaling:DescribeScalingPolicies",
          "application-signals:BatchGet*",
          "application-signals:Get*",
          "application-signals:List*",
          "autoscaling:Describe*",
          "cloudtrail:ListChannels",
          "cloudwatch:BatchGet*",
          "cloudwatch:Describe*",
          "cloudwatch:GenerateQuery",
          "cloudwatch:Get*",
          "cloudwatch:List*",
          "logs:Get*",
          "logs:List*",
          "logs:StartQuery",
          "logs:StopQuery",
          "logs:Describe*",
          "logs:TestMetricFilter",
          "logs:FilterLogEvents",
          "logs:StartLiveTail",
          "logs:StopLiveTail",
          "oam:ListSinks",
          "observabilityadmin:GetCentralizationRuleForOrganization",
          "observabilityadmin:ListCentralizationRulesForOrganization",
          "observabilityadmin:GetTelemetryEvaluationStatus",
          "observabilityadmin:GetTelemetryEvaluationStatusForOrganization",
          "observabilityadmin:GetTelemetryRule",
          "observabilityadmin:GetTelemetryRuleForOrganization",
          "observabilityadmin:ListResourceTelemetry",
          "observabilityadmin:ListResourceTelemetryForOrganization",
          "observabilityadmin:ListTelemetryRules",
          "observabilityadmin:ListTelemetryRulesForOrganization",
          "observabilityadmin:GetTelemetryEnrichmentStatus",
          "observabilityadmin:ListTagsForResource",
          "observabilityadmin:GetTelemetryPipeline",
          "observabilityadmin:ListTelemetryPipelines",
          "observabilityadmin:TestTelemetryPipeline",
          "observabilityadmin:ValidateTelemetryPipelineConfiguration",
          "observabilityadmin:GetS3TableIntegration",
          "observabilityadmin:ListS3TableIntegrations",
          "sns:Get*",
          "sns:List*",
          "rum:BatchGet*",
          "rum:Get*",
          "rum:List*",
          "synthetics:Describe*",
          "synthetics:Get*",
          "synthetics:List*",
          "xray:BatchGet*",
          "xray:Get*",
          "xray:List*",
          "xray:StartTraceRetrieval",
          "xray:CancelTraceRetrieval"
        ],
        "Resource": "*"
      },
      {
        "Sid": "OAMReadPermissions",
        "Effect": "Allow",
        "Action": [
          "oam:ListAttachedLinks"
        ],
        "Resource": "arn:aws:oam:*:*:sink/*"
      },
      {
        "Sid": "CloudWatchReadOnlyGetRolePermissions",
        "Effect": "Allow",
        "Action": "iam:GetRole",
        "Resource": "arn:aws:iam::*:role/aws-service-role/application-signals.cloudwatch.amazonaws.com/AWSServiceRoleForCloudWatchApplicationSignals"
      },
      {
        "Sid": "CloudWatchCloudTrailPermissions",
        "Effect": "Allow",
        "Action": [
          "cloudtrail:GetChannel"
        ],
        "Resource": "arn:aws:cloudtrail:*:*:channel/aws-service-channel/application-signals/*"
      },
      {
        "Sid": "CloudWatchServiceQuotaPermissions",
        "Effect": "Allow",
        "Action": [
          "servicequotas:GetServiceQuota"
        ],
        "Resource": [
          "arn:aws:servicequotas:*:*:s3/*",
          "arn:aws:servicequotas:*:*:dynamodb/*",
          "arn:aws:servicequotas:*:*:kinesis/*",
          "arn:aws:servicequotas:*:*:sns/*",
          "arn:aws:servicequotas:*:*:bedrock/*",
          "arn:aws:servicequotas:*:*:lambda/*",
          "arn:aws:servicequotas:*:*:fargate/*",
          "arn:aws:servicequotas:*:*:elasticloadbalancing/*",
          "arn:aws:servicequotas:*:*:ec2/*"
        ]
      },
      {
        "Sid": "CloudWatchResourceExplorerPermissions",
        "Effect": "Allow",
        "Action": [
          "resource-explorer-2:ListIndexes",
          "resource-explorer-2:Search"
        ],
        "Resource": [
          "arn:aws:resource-explorer-2:*::view/AWSServiceViewForApplicationSignals/service-view",
          "arn:aws:resource-explorer-2:*::view/AWSServiceViewForApplicationSignalsOrgScopeProd/service-view"
        ]
      }
    ]
  }),
  policy({
    policyName: "IAMReadOnlyAccess",
    policyId: "ANPAJKSO7NDY4T57MWDSQ",
    arn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess",
    path: "/",
    description: "Provides read only access to IAM via the AWS Management Console.",
    defaultVersionId: "v4",
    createDate: "2015-02-06T18:40:39Z",
    updateDate: "2018-01-25T19:11:27Z",
  }, {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Effect": "Allow",
        "Action": [
          "iam:GenerateCredentialReport",
          "iam:GenerateServiceLastAccessedDetails",
          "iam:Get*",
          "iam:List*",
          "iam:SimulateCustomPolicy",
          "iam:SimulatePrincipalPolicy"
        ],
        "Resource": "*"
      }
    ]
  }),
  policy({
    policyName: "IAMFullAccess",
    policyId: "ANPAI7XKCFMBPM3QQRRVQ",
    arn: "arn:aws:iam::aws:policy/IAMFullAccess",
    path: "/",
    description: "Provides full access to IAM via the AWS Management Console.",
    defaultVersionId: "v2",
    createDate: "2015-02-06T18:40:38Z",
    updateDate: "2019-06-21T19:40:00Z",
  }, {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Effect": "Allow",
        "Action": [
          "iam:*",
          "organizations:DescribeAccount",
          "organizations:DescribeOrganization",
          "organizations:DescribeOrganizationalUnit",
          "organizations:DescribePolicy",
          "organizations:ListChildren",
          "organizations:ListParents",
          "organizations:ListPoliciesForTarget",
          "organizations:ListRoots",
          "organizations:ListPolicies",
          "organizations:ListTargetsForPolicy"
        ],
        "Resource": "*"
      }
    ]
  }),
  policy({
    policyName: "AdministratorAccess",
    policyId: "ANPAIWMBCKSKIEE64ZLYK",
    arn: "arn:aws:iam::aws:policy/AdministratorAccess",
    path: "/",
    description: "Provides full access to AWS services and resources.",
    defaultVersionId: "v1",
    createDate: "2015-02-06T18:39:46Z",
    updateDate: "2015-02-06T18:39:46Z",
  }, {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Effect": "Allow",
        "Action": "*",
        "Resource": "*"
      }
    ]
  }),
  // ReadOnlyAccess's real document lists about 2,700 actions of every AWS service (150 KB). Only the
  // actions of services faasbox speaks (Lambda, CloudWatch Logs, SQS, EventBridge, X-Ray, IAM, STS,
  // CloudWatch) are kept, in AWS's order and statements; the rest would allow nothing here.
  policy({
    policyName: "ReadOnlyAccess",
    policyId: "ANPAILL3HVNFSB6DCOWYQ",
    arn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
    path: "/",
    description: "Provides read-only access to AWS services and resources.",
    defaultVersionId: "v178",
    createDate: "2015-02-06T18:39:48Z",
    updateDate: "2026-02-12T18:01:33Z",
  }, {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Sid": "ReadOnlyActionsGroup1",
        "Effect": "Allow",
        "Action": [
          "cloudwatch:Describe*",
          "cloudwatch:GenerateQuery",
          "cloudwatch:GenerateQueryResultsSummary",
          "cloudwatch:Get*",
          "cloudwatch:List*",
          "events:Describe*",
          "events:List*",
          "events:Test*",
          "iam:Generate*",
          "iam:Get*",
          "iam:List*",
          "iam:Simulate*"
        ],
        "Resource": "*"
      },
      {
        "Sid": "ReadOnlyActionsGroup2",
        "Effect": "Allow",
        "Action": [
          "lambda:Get*",
          "lambda:List*",
          "logs:Describe*",
          "logs:FilterLogEvents",
          "logs:Get*",
          "logs:ListAnomalies",
          "logs:ListEntitiesForLogGroup",
          "logs:ListIntegrations",
          "logs:ListLogAnomalyDetectors",
          "logs:ListLogDeliveries",
          "logs:ListLogGroupsForEntity",
          "logs:ListLogGroupsForQuery",
          "logs:ListTagsForResource",
          "logs:ListTagsLogGroup",
          "logs:StartLiveTail",
          "logs:StartQuery",
          "logs:StopLiveTail",
          "logs:StopQuery",
          "logs:TestMetricFilter",
          "logs:ListAggregateLogGroupSummaries",
          "logs:ListSourcesForS3TableIntegration",
          "logs:ListScheduledQueries",
          "sqs:Get*",
          "sqs:List*",
          "sqs:Receive*",
          "sts:GetAccessKeyInfo",
          "sts:GetCallerIdentity",
          "sts:GetSessionToken",
          "xray:BatchGet*",
          "xray:CancelTraceRetrieval",
          "xray:Get*",
          "xray:ListResourcePolicies",
          "xray:ListRetrievedTraces",
          "xray:ListTagsForResource",
          "xray:StartTraceRetrieval"
        ],
        "Resource": "*"
      }
    ]
  }),
];

/** Every AWS managed policy faasbox knows, by ARN. */
export const AWS_MANAGED_POLICIES: ReadonlyMap<string, ManagedPolicy> = new Map(POLICIES.map((p) => [p.arn, p]));
