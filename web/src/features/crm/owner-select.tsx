import { Select } from '@mantine/core';
import { useCurrentUser } from '../../session/session-context.tsx';
import { usePeople } from './use-people.ts';

/** Admins give a record to anyone; members own what they create, so they see no picker at all. */
export function OwnerSelect({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: string | null;
  onChange(v: string | null): void;
  testId: string;
}) {
  const me = useCurrentUser();
  const { people } = usePeople();
  if (me.role !== 'admin') return null;
  return (
    <Select
      label={label}
      data={people.map((p) => ({ value: p.id, label: p.name }))}
      value={value ?? me.id}
      onChange={onChange}
      allowDeselect={false}
      data-testid={testId}
    />
  );
}
