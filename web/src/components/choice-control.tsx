import { Group, SegmentedControl, type SegmentedControlProps, Stack, Text } from '@mantine/core';
import type { TablerIcon } from '@tabler/icons-react';
import { type ReactNode, useId } from 'react';

/** The choices, in order: as a list, or as each value's label. */
type Choices<T extends string> = Array<{ value: T; label: ReactNode }> | Record<T, ReactNode>;

const choiceData = <T extends string>(options: Choices<T>) =>
  Array.isArray(options) ? options : Object.entries<ReactNode>(options).map(([value, label]) => ({ value, label }));

/** A small segmented switch between a page's views or scopes, typed by its values. */
export function ChoiceControl<T extends string>({
  value,
  onChange,
  options,
  testId,
}: {
  value: T;
  onChange(value: NoInfer<T>): void;
  options: Choices<NoInfer<T>>;
  testId?: string;
}) {
  // SegmentedControl answers only values from `options`, so the cast holds.
  return <SegmentedControl size="xs" value={value} onChange={(v) => onChange(v as T)} data={choiceData(options)} data-testid={testId} />;
}

/**
 * A choice in a form: its label above (naming the radio group for screen readers), the segmented control,
 * and an optional hint under it.
 */
export function ChoiceField<T extends string>({
  label,
  hint,
  value,
  onChange,
  options,
  testId,
  ...control
}: {
  label: string;
  hint?: string;
  value: T | undefined;
  onChange(value: NoInfer<T>): void;
  options: Choices<NoInfer<T>>;
  testId?: string;
} & Pick<SegmentedControlProps, 'size' | 'color'>) {
  const labelId = useId();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id={labelId}>
        {label}
      </Text>
      <SegmentedControl
        aria-labelledby={labelId}
        value={value}
        onChange={(v) => onChange(v as T)}
        data={choiceData(options)}
        data-testid={testId}
        {...control}
      />
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Stack>
  );
}

/** A choice's label with its icon in front. */
export function IconLabel({ icon: LabelIcon, children }: { icon: TablerIcon; children: ReactNode }) {
  return (
    <Group gap={4} wrap="nowrap">
      <LabelIcon size={14} />
      {children}
    </Group>
  );
}
