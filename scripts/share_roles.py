#!/usr/bin/env python3
"""Share one IAM role between functions whose Policies are identical.

For each group of AWS::Serverless::Function resources with the same Policies
(comments aside), the first keeps its Policies (SAM makes <First>Role) and the
others get `Role: !GetAtt <First>Role.Arn` instead. Idempotent.
"""
import json, re, sys, collections
from cfnlint.decode import decode

path = sys.argv[1] if len(sys.argv) > 1 else 'template.yaml'
tpl, _ = decode(path)
groups = collections.OrderedDict()
for name, r in tpl['Resources'].items():
    if r.get('Type') != 'AWS::Serverless::Function':
        continue
    p = r.get('Properties', {})
    if 'Policies' not in p:
        continue
    key = json.dumps(p['Policies'], sort_keys=True, default=str)
    groups.setdefault(key, []).append(name)

lines = open(path).read().split('\n')
def block(name):
    start = lines.index('  %s:' % name)
    end = start + 1
    while end < len(lines) and not re.match(r'^  [A-Za-z]', lines[end]):
        end += 1
    return start, end

changed = 0
for names in groups.values():
    first = names[0]
    for other in names[1:]:
        s, e = block(other)
        for i in range(s, e):
            if lines[i] == '      Policies:':
                j = i + 1
                while j < e and (lines[j].startswith('        ') or lines[j].strip() == '' and j + 1 < e and lines[j+1].startswith('        ')):
                    j += 1
                lines[i:j] = ['      # The same permissions as %s: one role for both (the' % first,
                              '      # stack keeps under CloudFormation\'s 500 resources).',
                              '      Role: !GetAtt %sRole.Arn' % first]
                changed += 1
                break
open(path, 'w').write('\n'.join(lines))
print('shared', changed, 'roles in', len(groups), 'groups')

# A function that kept its Policies above may have become a member of another
# group: its own members then follow it to the new owner (no chains).
text = open(path).read()
pointer = re.compile(r'\n  (\w+)Function:\n(?:(?!\n  \w).)*?\n      Role: !GetAtt (\w+)FunctionRole\.Arn', re.S)
owners = dict(pointer.findall(text))
def root(f):
    while f in owners:
        f = owners[f]
    return f
for member, owner in owners.items():
    top = root(owner)
    if top != owner:
        text = text.replace('as %sFunction: one role' % owner, 'as %sFunction: one role' % top)
        text = text.replace('Role: !GetAtt %sFunctionRole.Arn' % owner, 'Role: !GetAtt %sFunctionRole.Arn' % top)
open(path, 'w').write(text)
