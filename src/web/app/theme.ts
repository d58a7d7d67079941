// Government palette: guinda (#9F2241, #691C32), verde (#235B4E), dorado (#BC955C, accents only:
// white text on it fails AA). Every text/background pair used here passes WCAG AA.
import { createTheme, type MantineColorsTuple } from '@mantine/core';

const guinda: MantineColorsTuple = ['#fcf0f3', '#f4dbe2', '#e8b4c2', '#db8aa0', '#cf6582', '#c24d6d', '#b23a5c', '#9f2241', '#861b37', '#691c32'];
const verde: MantineColorsTuple = ['#ecf6f3', '#d4e9e3', '#a8d2c6', '#78b9a7', '#52a38d', '#3b8f79', '#2e7a67', '#235b4e', '#1c4a3f', '#143830'];
const dorado: MantineColorsTuple = ['#fbf6ee', '#f3e8d6', '#e7d1ad', '#dab881', '#cea66d', '#bc955c', '#a9824b', '#8c6a3b', '#6f532d', '#523d20'];

export const theme = createTheme({
  primaryColor: 'guinda',
  primaryShade: 7,
  colors: { guinda, verde, dorado },
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif',
  headings: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif', fontWeight: '600' },
  defaultRadius: 'sm',
  focusRing: 'auto',
  cursorType: 'pointer',
  components: {
    Button: { defaultProps: { radius: 'sm' } },
    NumberInput: { defaultProps: { decimalSeparator: '.', clampBehavior: 'none' } },
    Select: { defaultProps: { comboboxProps: { shadow: 'md' } } },
    // Mantine's close and show-password buttons have no name (or an English one) unless given one.
    FileInput: { defaultProps: { clearButtonProps: { 'aria-label': 'Quitar el archivo' } } },
    DateInput: { defaultProps: { clearButtonProps: { 'aria-label': 'Borrar la fecha' } } },
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Cerrar' } } },
    // A dialog's header is not the page's banner: as <header> it made a second «banner» landmark (axe, moderate).
    ModalHeader: { defaultProps: { component: 'div' } },
    Alert: { defaultProps: { closeButtonLabel: 'Cerrar' } },
    Notification: { defaultProps: { closeButtonProps: { 'aria-label': 'Cerrar' } } },
    PasswordInput: { defaultProps: { visibilityToggleButtonProps: { 'aria-label': 'Mostrar u ocultar lo escrito' } } },
  },
});

/** Record status → colour (borrador gris, enviado azul, validado verde, devuelto naranja), AA with white text. */
export const ESTATUS_COLORS: Record<string, string> = {
  borrador: '#5c636a',
  enviado: '#1c5fa8',
  validado: '#235b4e',
  devuelto: '#a14a00',
};

export const ESTATUS_LABELS: Record<string, string> = {
  borrador: 'Borrador',
  enviado: 'Enviado',
  validado: 'Validado',
  devuelto: 'Devuelto',
};
