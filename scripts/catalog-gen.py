#!/usr/bin/env python3
"""Writes catalog/catalog.json, the demo catalog, from the outlines below.

Durations are drawn from a fixed seed, so running it again writes the same
file. Edit the outlines (or the JSON by hand) and load it with
`portalctl load-catalog catalog/catalog.json`.
"""
import json
import random
import re
import sys

rng = random.Random(20261206)

# (id, topic, title, [episode titles])
COURSES = [
    ("ccna", "Networking", "CCNA 200-301: Network Fundamentals", [
        "Welcome to CCNA and How to Study", "The OSI and TCP/IP Models", "Ethernet Cabling and Standards",
        "Switching Fundamentals: MAC Learning and Forwarding", "IPv4 Addressing Basics", "Subnetting Made Simple",
        "Variable-Length Subnet Masks", "IPv6 Addressing and Address Types", "Navigating the Cisco IOS CLI",
        "Configuring Basic Switch Settings", "Router Interfaces and Static Routes", "Troubleshooting with Ping and Traceroute",
    ]),
    ("ccna-switching", "Networking", "CCNA: VLANs, Trunking and Spanning Tree", [
        "Why VLANs Exist", "Creating and Assigning VLANs", "802.1Q Trunking", "Dynamic Trunking Protocol and VTP",
        "Inter-VLAN Routing with Router on a Stick", "Layer 3 Switches and SVIs", "Spanning Tree Protocol Explained",
        "Rapid PVST+ Configuration", "PortFast, BPDU Guard and Root Guard", "EtherChannel with LACP",
        "Troubleshooting Layer 2 Problems",
    ]),
    ("ccna-routing", "Networking", "CCNA: Routing with OSPF", [
        "How Routers Choose a Path", "Administrative Distance and Metrics", "Static and Floating Static Routes",
        "OSPF Concepts: Areas, LSAs and the SPF Algorithm", "Single-Area OSPFv2 Configuration", "OSPF Neighbor States",
        "DR and BDR Election", "OSPF Cost and Path Selection", "Default Route Propagation", "Verifying and Troubleshooting OSPF",
        "First Hop Redundancy with HSRP",
    ]),
    ("net-services", "Networking", "IP Services: DHCP, DNS, NAT and NTP", [
        "DHCP: How Clients Get an Address", "Configuring a DHCP Server and Relay", "DNS Resolution Step by Step",
        "Static NAT and Dynamic NAT", "PAT: Many Hosts, One Address", "NTP and Why Time Matters", "SNMP and Syslog Basics",
        "QoS Fundamentals: Classification and Queuing", "SSH for Secure Device Management", "TFTP and FTP for Device Images",
        "Putting It Together: a Branch Office Build",
    ]),
    ("wireless", "Networking", "Wireless Networking Essentials", [
        "Radio Frequency Basics", "802.11 Standards from a to ax", "Channels, Interference and Site Surveys",
        "Wireless Architectures: Autonomous, Cloud and Controller", "WLAN Security: WPA2 and WPA3", "Configuring a WLAN on a Controller",
        "Roaming and Client Behaviour", "Troubleshooting Wireless Connectivity", "Designing for Capacity, Not Just Coverage",
        "Guest Networks and Captive Portals", "Wi-Fi 6E and What Comes Next",
    ]),
    ("secplus", "Security", "CompTIA Security+ SY0-701", [
        "Security Concepts: CIA and AAA", "Threat Actors and Motivations", "Social Engineering and Phishing",
        "Malware Types and Indicators", "Cryptography Basics: Symmetric and Asymmetric", "PKI and Certificates",
        "Identity and Access Management", "Multifactor Authentication", "Secure Network Design", "Firewalls, IDS and IPS",
        "Vulnerability Management", "Incident Response Process", "Governance, Risk and Compliance", "Exam Strategy and Review",
    ]),
    ("security-awareness", "Security", "Security Awareness for Every Employee", [
        "Why Attackers Target You", "Spotting a Phishing Email", "Strong Passwords and Password Managers",
        "Multifactor Authentication in Practice", "Safe Browsing and Downloads", "Working Securely from Home",
        "Protecting Customer Data", "Physical Security and Tailgating", "Reporting an Incident", "Ransomware: What to Do",
        "Social Media and Oversharing",
    ]),
    ("ethical-hacking", "Security", "Ethical Hacking and Penetration Testing", [
        "Rules of Engagement and Scoping", "Passive Reconnaissance and OSINT", "Active Scanning with Nmap",
        "Enumerating Services", "Vulnerability Scanning and Triage", "Exploiting Web Applications", "Password Attacks",
        "Privilege Escalation on Linux", "Privilege Escalation on Windows", "Lateral Movement in Active Directory",
        "Post-Exploitation and Persistence", "Writing the Pentest Report",
    ]),
    ("soc-analyst", "Security", "SOC Analyst Fundamentals", [
        "Inside a Security Operations Center", "Log Sources That Matter", "SIEM Queries for Beginners",
        "Alert Triage and Prioritization", "Investigating a Phishing Alert", "Endpoint Detection and Response",
        "Network Traffic Analysis with Wireshark", "Threat Intelligence Feeds", "MITRE ATT&CK for Analysts",
        "Writing an Incident Timeline", "Tuning Detections and Reducing Noise", "Shift Handover and Escalation",
    ]),
    ("owasp", "Security", "Secure Coding: The OWASP Top 10", [
        "Why Applications Get Breached", "Broken Access Control", "Cryptographic Failures", "Injection: SQL, Command and LDAP",
        "Insecure Design and Threat Modeling", "Security Misconfiguration", "Vulnerable and Outdated Components",
        "Identification and Authentication Failures", "Software and Data Integrity Failures", "Logging and Monitoring Failures",
        "Server-Side Request Forgery", "Building Security into Code Review",
    ]),
    ("aws-ccp", "Cloud", "AWS Certified Cloud Practitioner", [
        "What Is Cloud Computing?", "AWS Global Infrastructure", "The Shared Responsibility Model", "IAM: Users, Groups and Roles",
        "Compute with EC2 and Lambda", "Storage with S3, EBS and EFS", "Databases on AWS", "Networking with VPC",
        "Monitoring with CloudWatch and CloudTrail", "Pricing Models and the Free Tier", "Billing, Budgets and Cost Explorer",
        "Well-Architected Framework Pillars", "Exam Review",
    ]),
    ("aws-saa", "Cloud", "AWS Solutions Architect Associate", [
        "Designing for High Availability", "VPC Design: Subnets, Route Tables and Gateways", "Security Groups vs Network ACLs",
        "EC2 Instance Types and Purchasing Options", "Auto Scaling and Load Balancing", "S3 Storage Classes and Lifecycle",
        "RDS, Aurora and DynamoDB Compared", "Caching with ElastiCache and CloudFront", "Decoupling with SQS, SNS and EventBridge",
        "Serverless Architectures", "Disaster Recovery Strategies", "Encryption with KMS", "Cost-Optimized Architectures",
        "Practice Scenarios",
    ]),
    ("az-900", "Cloud", "Microsoft Azure Fundamentals AZ-900", [
        "Cloud Concepts and Service Models", "Azure Regions and Availability Zones", "Resource Groups and Subscriptions",
        "Azure Virtual Machines", "App Service and Azure Functions", "Azure Storage Accounts", "Virtual Networks and VPN Gateway",
        "Microsoft Entra ID", "Azure Policy and Role-Based Access Control", "Cost Management and SLAs", "Monitoring with Azure Monitor",
        "Exam Review",
    ]),
    ("az-104", "Cloud", "Azure Administrator AZ-104", [
        "Managing Entra ID Users and Groups", "Subscriptions, Management Groups and Tags", "Deploying with ARM and Bicep",
        "Configuring Virtual Machines", "VM Scale Sets and Availability Sets", "Storage Accounts, Blobs and Files",
        "Virtual Network Peering", "Network Security Groups", "Azure Load Balancer and Application Gateway",
        "Backup and Site Recovery", "Azure Monitor and Log Analytics", "Troubleshooting Common Issues",
    ]),
    ("kubernetes", "Cloud", "Kubernetes for Administrators", [
        "Containers and Why Orchestrate Them", "Kubernetes Architecture", "Pods, ReplicaSets and Deployments",
        "Services and Networking", "ConfigMaps and Secrets", "Persistent Volumes and Storage Classes", "Ingress Controllers",
        "Scheduling: Taints, Tolerations and Affinity", "Resource Requests and Limits", "RBAC and Service Accounts",
        "Upgrading a Cluster", "Troubleshooting Pods and Nodes", "Backing Up etcd",
    ]),
    ("terraform", "Cloud", "Infrastructure as Code with Terraform", [
        "Why Infrastructure as Code", "Installing Terraform and Providers", "Resources, Variables and Outputs",
        "State and Remote Backends", "Modules and Reuse", "Managing Multiple Environments", "Importing Existing Infrastructure",
        "Testing and Validating Plans", "Terraform in a CI Pipeline", "Drift Detection and Cleanup", "Exam Tips for Terraform Associate",
    ]),
    ("linux-essentials", "Linux", "Linux Essentials", [
        "Linux Distributions and Where They Run", "The Shell and Basic Commands", "Navigating the File System",
        "Files, Directories and Links", "Viewing and Editing Text with vi and nano", "Users, Groups and Permissions",
        "Pipes, Redirection and grep", "Processes and Job Control", "Installing Software with Package Managers",
        "Archiving and Compression", "Getting Help: man and --help", "Your First Shell Script",
    ]),
    ("rhcsa", "Linux", "Red Hat System Administration (RHCSA)", [
        "Installing RHEL", "systemd: Services and Targets", "Managing Users and sudo", "Storage with LVM",
        "File Systems: XFS and ext4", "Mounting with fstab and autofs", "Networking with NetworkManager", "firewalld Zones and Rules",
        "SELinux Contexts and Booleans", "Scheduling with cron and systemd Timers", "Logging with journald and rsyslog",
        "Managing Containers with Podman", "Boot Troubleshooting and Root Password Recovery", "Exam Practice Walkthrough",
    ]),
    ("bash", "Linux", "Bash Scripting and Automation", [
        "Shebangs, Permissions and Running Scripts", "Variables and Quoting", "Conditionals and Test Expressions",
        "Loops over Files and Lines", "Functions and Return Codes", "Reading Input and Arguments", "Text Processing with sed and awk",
        "Error Handling and set -euo pipefail", "Scheduling Scripts", "Logging from Scripts", "A Backup Script from Scratch",
    ]),
    ("linux-troubleshooting", "Linux", "Linux Performance and Troubleshooting", [
        "A Method for Troubleshooting", "Reading Load Average and top", "CPU Bottlenecks", "Memory, Swap and the OOM Killer",
        "Disk I/O with iostat and iotop", "Full Disks and Inode Exhaustion", "Network Diagnostics with ss and tcpdump",
        "DNS Problems on Linux Hosts", "Reading Kernel Messages", "Tracing with strace", "Post-Incident Notes",
    ]),
    ("winserver", "Windows Server", "Windows Server 2022 Administration", [
        "Installing Windows Server and Server Core", "Server Manager and Windows Admin Center", "Roles and Features",
        "Storage Spaces and Disks", "File Services and Share Permissions", "DHCP Server Role", "DNS Server Role",
        "Hyper-V Basics", "Windows Update and WSUS", "Performance Monitor and Event Viewer", "Backup and Recovery",
        "Remote Management with PowerShell",
    ]),
    ("active-directory", "Windows Server", "Active Directory Domain Services", [
        "Domains, Trees and Forests", "Installing a Domain Controller", "Organizational Units and Delegation",
        "Users, Groups and Computer Accounts", "Group Policy Fundamentals", "Group Policy Preferences and Filtering",
        "Sites and Replication", "FSMO Roles", "Trusts Between Domains", "Protecting Privileged Accounts",
        "AD Recycle Bin and Recovery", "Hybrid Identity with Entra Connect",
    ]),
    ("powershell", "Windows Server", "PowerShell for Administrators", [
        "Why PowerShell", "Cmdlets, Verbs and Nouns", "The Pipeline and Objects", "Filtering and Formatting Output",
        "Variables, Arrays and Hash Tables", "Loops and Conditions", "Working with Files and the Registry", "Remoting with WinRM",
        "Managing Active Directory with PowerShell", "Writing Functions and Modules", "Error Handling", "Scheduling Scripts",
    ]),
    ("sql-fundamentals", "Databases", "SQL Fundamentals", [
        "Relational Databases in Plain Words", "SELECT and WHERE", "Sorting and Limiting Results", "Aggregates and GROUP BY",
        "Joining Tables", "Outer Joins and NULLs", "Subqueries", "INSERT, UPDATE and DELETE", "Designing Tables and Keys",
        "Indexes and Why Queries Get Slow", "Transactions and Isolation", "Views and Stored Procedures",
    ]),
    ("postgres", "Databases", "PostgreSQL Administration", [
        "Installing PostgreSQL", "Databases, Schemas and Roles", "Configuration Files Explained", "Backups with pg_dump",
        "Point-in-Time Recovery", "Streaming Replication", "VACUUM and Autovacuum", "Reading EXPLAIN Plans", "Index Types",
        "Connection Pooling with PgBouncer", "Monitoring with pg_stat Views", "Upgrading Major Versions",
    ]),
    ("sqlserver", "Databases", "Microsoft SQL Server Administration", [
        "SQL Server Editions and Installation", "SQL Server Management Studio Tour", "Recovery Models", "Backup and Restore Strategies",
        "Logins, Users and Permissions", "SQL Server Agent Jobs", "Index Maintenance", "Query Store", "Always On Availability Groups",
        "Monitoring Blocking and Deadlocks", "Migrating to Azure SQL",
    ]),
    ("python", "Programming", "Python Programming for IT Pros", [
        "Installing Python and Virtual Environments", "Variables, Types and Strings", "Lists, Tuples and Dictionaries",
        "Control Flow", "Functions and Modules", "Reading and Writing Files", "Error Handling with try and except",
        "Working with CSV and JSON", "Calling REST APIs with requests", "Automating SSH with Paramiko", "Testing with pytest",
        "Packaging a Command-Line Tool", "Project: an Inventory Report",
    ]),
    ("go", "Programming", "Go Programming Fundamentals", [
        "Why Go", "Installing Go and Your First Program", "Types, Variables and Constants", "Control Flow", "Functions and Errors",
        "Slices and Maps", "Structs and Methods", "Interfaces", "Packages and Modules", "Goroutines and Channels",
        "Testing in Go", "Building an HTTP Service", "Project: a Health-Check CLI",
    ]),
    ("git", "Programming", "Git and GitHub for Teams", [
        "Version Control Concepts", "Your First Repository", "Staging and Committing", "Branches and Merging",
        "Resolving Merge Conflicts", "Remotes: Push, Pull and Fetch", "Pull Requests and Code Review", "Rebasing Safely",
        "Tags and Releases", "Undoing Things", "GitHub Actions Basics",
    ]),
    ("devops", "Programming", "DevOps and CI/CD Pipelines", [
        "What DevOps Changes", "Continuous Integration", "Build Artifacts and Versioning", "Automated Testing in Pipelines",
        "Containers in CI", "Deployment Strategies: Blue-Green and Canary", "Infrastructure as Code in the Pipeline",
        "Secrets in CI/CD", "Monitoring and Feedback Loops", "Incident Reviews Without Blame", "Measuring Delivery Performance",
    ]),
]

# (id, topic, title, minutes)
LABS = [
    ("lab-subnetting", "Networking", "Subnet a Campus Network", 45),
    ("lab-vlans", "Networking", "Configure VLANs and Trunks", 40),
    ("lab-stp", "Networking", "Tune Spanning Tree Root Bridges", 35),
    ("lab-intervlan", "Networking", "Route Between VLANs on a Layer 3 Switch", 40),
    ("lab-ospf", "Networking", "Build a Single-Area OSPF Network", 50),
    ("lab-nat", "Networking", "Configure PAT for a Branch Office", 30),
    ("lab-dhcp-relay", "Networking", "Set Up DHCP with a Relay Agent", 30),
    ("lab-acl", "Networking", "Filter Traffic with Extended ACLs", 45),
    ("lab-wireshark", "Security", "Capture and Analyze Traffic with Wireshark", 40),
    ("lab-phishing", "Security", "Investigate a Phishing Email", 30),
    ("lab-nmap", "Security", "Scan a Network with Nmap", 35),
    ("lab-firewall", "Security", "Harden a Host Firewall", 30),
    ("lab-pki", "Security", "Issue Certificates from a Private CA", 50),
    ("lab-siem", "Security", "Hunt for Brute-Force Logins in a SIEM", 45),
    ("lab-sqli", "Security", "Find and Fix a SQL Injection", 40),
    ("lab-mfa", "Security", "Roll Out MFA for a Small Office", 25),
    ("lab-aws-iam", "Cloud", "Create Least-Privilege IAM Roles", 40),
    ("lab-aws-vpc", "Cloud", "Build a Two-Tier VPC", 55),
    ("lab-aws-s3", "Cloud", "Host a Static Site on S3 and CloudFront", 35),
    ("lab-aws-lambda", "Cloud", "Deploy a Serverless API with Lambda", 45),
    ("lab-azure-vm", "Cloud", "Deploy and Secure an Azure VM", 40),
    ("lab-azure-vnet", "Cloud", "Peer Two Azure Virtual Networks", 35),
    ("lab-k8s-deploy", "Cloud", "Deploy and Scale an App on Kubernetes", 50),
    ("lab-terraform", "Cloud", "Provision Infrastructure with Terraform", 45),
    ("lab-linux-perms", "Linux", "Fix Linux File Permissions", 25),
    ("lab-lvm", "Linux", "Extend a Volume with LVM", 35),
    ("lab-systemd", "Linux", "Write a systemd Service Unit", 30),
    ("lab-selinux", "Linux", "Troubleshoot an SELinux Denial", 35),
    ("lab-bash-backup", "Linux", "Automate Backups with a Bash Script", 40),
    ("lab-ad-users", "Windows Server", "Create Users and OUs in Active Directory", 35),
    ("lab-gpo", "Windows Server", "Enforce Settings with Group Policy", 40),
    ("lab-powershell", "Windows Server", "Automate User Onboarding with PowerShell", 45),
    ("lab-dns-server", "Windows Server", "Configure DNS Zones on Windows Server", 30),
    ("lab-sql-joins", "Databases", "Query a Sales Database with Joins", 35),
    ("lab-pg-backup", "Databases", "Back Up and Restore PostgreSQL", 40),
    ("lab-sql-index", "Databases", "Speed Up a Slow Query with an Index", 30),
    ("lab-python-api", "Programming", "Automate a REST API with Python", 45),
    ("lab-go-cli", "Programming", "Build a Command-Line Tool in Go", 50),
    ("lab-git-conflict", "Programming", "Resolve a Merge Conflict", 20),
    ("lab-ci-pipeline", "Programming", "Build a CI Pipeline with GitHub Actions", 45),
]

# (id, topic, title, minutes)
EXAMS = [
    ("exam-ccna", "Networking", "CCNA 200-301 Practice Exam", 120),
    ("exam-secplus", "Security", "Security+ SY0-701 Practice Exam", 90),
    ("exam-aws-ccp", "Cloud", "AWS Cloud Practitioner Practice Exam", 90),
    ("exam-aws-saa", "Cloud", "AWS Solutions Architect Associate Practice Exam", 130),
    ("exam-az-900", "Cloud", "Azure Fundamentals AZ-900 Practice Exam", 60),
    ("exam-az-104", "Cloud", "Azure Administrator AZ-104 Practice Exam", 100),
    ("exam-rhcsa", "Linux", "RHCSA Practice Exam", 150),
    ("exam-linux-essentials", "Linux", "Linux Essentials Practice Exam", 60),
]


def episode_seconds(title):
    # Introductions and reviews are short, configuration walkthroughs long.
    if re.search(r"Welcome|Why|What Is|Review|Tips", title):
        lo, hi = 180, 540
    elif re.search(r"Configur|Troubleshoot|Project|Walkthrough|Build|Scratch", title):
        lo, hi = 720, 1500
    else:
        lo, hi = 360, 1080
    return rng.randint(lo, hi)


def main():
    courses = []
    for cid, topic, title, episodes in COURSES:
        courses.append({
            "id": "course-" + cid, "topic": topic, "title": title,
            "episodes": [
                {"id": "ep-%s-%02d" % (cid, i + 1), "title": t, "seconds": episode_seconds(t)}
                for i, t in enumerate(episodes)
            ],
        })
    catalog = {
        "courses": courses,
        "labs": [{"id": i, "topic": tp, "title": t, "minutes": m} for i, tp, t, m in LABS],
        "exams": [{"id": i, "topic": tp, "title": t, "minutes": m} for i, tp, t, m in EXAMS],
    }
    json.dump(catalog, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
    n_eps = sum(len(c["episodes"]) for c in courses)
    print("%d courses, %d episodes, %d labs, %d exams" % (len(courses), n_eps, len(LABS), len(EXAMS)), file=sys.stderr)


if __name__ == "__main__":
    main()
